/// An ONNX model's computation graph: its nodes in order, its inputs and
/// outputs with their declared shapes, and its initializers' shapes.
///
/// ``read(path:)`` walks `ModelProto.graph` (field 7) and `opset_import`
/// (field 8) in place, as ``ONNXReader`` does for the weights: nodes with
/// their inputs, outputs and attributes, initializers' names, dims and types
/// (and the values of small ones, which shape computations need; `raw_data`
/// of larger ones is skipped, never read), `input`, `output` and
/// `value_info`. Subgraphs (the bodies of If, Loop and Scan) are skipped and
/// their operator is then reported as unsupported. Tensor names are kept once
/// each; memory grows with the graph, never with the weights.
///
/// ``activationPeak(_:)`` then works out the activation memory of one run.
public struct ONNXGraph: Sendable {
    /// The most nodes a graph may hold.
    public static let maximumNodes = 1_000_000

    /// One operator call.
    public struct Node: Sendable, Hashable {
        /// The node's name; often empty.
        public var name: String
        /// The operator: `Conv`, `MatMul`.
        public var opType: String
        /// The operator set's domain: empty (or `ai.onnx`) for standard operators, `com.microsoft` for ONNX Runtime's.
        public var domain: String
        /// Input tensors by their index in ``ONNXGraph/tensorNames``; `-1` for an omitted optional input.
        var inputs: [Int]
        /// Output tensors by their index in ``ONNXGraph/tensorNames``; `-1` for an omitted optional output.
        var outputs: [Int]
        var attributes: [ONNXAttribute]
        /// Whether an attribute holds a subgraph (If, Loop, Scan), which is not read.
        var hasSubgraph: Bool
    }

    /// A dimension as a graph declares it.
    public enum Dimension: Sendable, Hashable {
        /// A fixed size (`dim_value`).
        case value(Int64)
        /// A size named by the exporter (`dim_param`), bound when shapes are computed.
        case symbolic(String)
        /// A dimension with neither a value nor a name.
        case unknown
    }

    /// A graph input or output as declared: its name, element type and shape.
    public struct ValueInfo: Sendable, Hashable {
        /// The tensor's name.
        public var name: String
        /// The element type's `TensorProto.DataType` number; 0 when not given or not a tensor.
        public var dataType: UInt64
        /// The declared dimensions; `nil` when the declaration has no shape.
        public var dimensions: [Dimension]?
        /// The element type, where the data type is one ONNX defines.
        public var elementType: ElementType? { ONNXDataType.elementType(dataType) }
        /// Whether the declared type is a tensor (not a sequence, map or optional).
        var isTensor: Bool
        /// The tensor's index in ``ONNXGraph/tensorNames``.
        var id: Int
    }

    /// The model file, as given; named in errors.
    public let path: String
    /// The nodes, in the file's order (topological in a valid model).
    public internal(set) var nodes: [Node] = []
    /// The graph inputs the caller feeds, without the initializers some models also list as inputs.
    public internal(set) var inputs: [ValueInfo] = []
    /// The graph outputs.
    public internal(set) var outputs: [ValueInfo] = []
    /// The model's operator set version for the standard domain; 0 when the model declares none.
    public internal(set) var opsetVersion: Int64 = 0
    /// Operator set versions by domain, as `opset_import` declares them.
    var opsets: [String: Int64] = [:]
    /// Every tensor name the graph uses, once each; nodes refer to tensors by index.
    var tensorNames: [String] = []
    /// Initializers, and the outputs of `Constant` nodes once computed, by tensor index.
    var initializers: [Int: ONNXConstant] = [:]
    /// The `value_info` declarations (and the outputs'), by tensor index.
    var valueInfo: [Int: ValueInfo] = [:]

    init(path: String) {
        self.path = path
    }

    /// Reads the graph of the model at `path`.
    /// - Throws: ``ModelFileError`` naming the byte and field when the file is malformed or a limit is passed.
    public static func read(path: String) throws(ModelFileError) -> ONNXGraph {
        try read(ModelFile(path: path))
    }

    /// Reads the graph of the model in `file`.
    /// - Throws: ``ModelFileError`` naming the byte and field when the file is malformed or a limit is passed.
    public static func read(_ file: ModelFile) throws(ModelFileError) -> ONNXGraph {
        var reader = ONNXGraphReader(file: file)
        return try reader.readModel()
    }

    /// The node at `index` as errors and reports name it: `#12 Conv 'conv1'`.
    func label(_ index: Int) -> String {
        let node = nodes[index]
        let op = node.domain.isEmpty || node.domain == "ai.onnx" ? node.opType : "\(node.domain).\(node.opType)"
        return node.name.isEmpty ? "#\(index) \(op)" : "#\(index) \(op) '\(node.name)'"
    }
}
