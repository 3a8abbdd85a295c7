/// What a model's files hold: its tensors, their bytes by type, and its
/// hyper-parameters, read from headers only.
public struct ModelInventory: Sendable, Hashable {
    public enum Format: String, Sendable, Codable {
        case safetensors, gguf, onnx
    }

    public var format: Format
    /// The files read, weights first, then `config.json` where there is one.
    public var files: [String]
    public var tensors: [TensorInfo]
    public var architecture: ModelArchitecture?
    /// An ONNX model's graph, whose liveness gives its activations; it is read from the same file,
    /// so equality and hashing leave it out.
    public var graph: ONNXGraph?

    public init(format: Format, files: [String], tensors: [TensorInfo], architecture: ModelArchitecture?) {
        self.format = format
        self.files = files
        self.tensors = tensors
        self.architecture = architecture
    }

    public static func == (lhs: ModelInventory, rhs: ModelInventory) -> Bool {
        (lhs.format, lhs.files, lhs.tensors, lhs.architecture) == (rhs.format, rhs.files, rhs.tensors, rhs.architecture)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(format)
        hasher.combine(files)
        hasher.combine(tensors)
        hasher.combine(architecture)
    }

    /// Elements in all tensors: the parameter count.
    public var parameterCount: Int64 {
        tensors.reduce(0) { $0.addingSaturating($1.elementCount) }
    }

    /// Bytes of all tensors as stored.
    public var weightBytes: Int64 {
        tensors.reduce(0) { $0.addingSaturating($1.byteCount) }
    }

    /// Bytes as stored, by element type name.
    public var bytesByType: [String: Int64] {
        tensors.reduce(into: [:]) { $0[$1.type.name, default: 0] = ($0[$1.type.name] ?? 0).addingSaturating($1.byteCount) }
    }

    /// Bytes of the tensors in numbered blocks, by block, and of the rest (embeddings, norms, heads).
    public var bytesByLayer: (layers: [Int: Int64], other: Int64) {
        var layers: [Int: Int64] = [:]
        var other: Int64 = 0
        for tensor in tensors {
            if let index = tensor.layerIndex {
                layers[index, default: 0] = (layers[index] ?? 0).addingSaturating(tensor.byteCount)
            } else {
                other = other.addingSaturating(tensor.byteCount)
            }
        }
        return (layers, other)
    }
}
