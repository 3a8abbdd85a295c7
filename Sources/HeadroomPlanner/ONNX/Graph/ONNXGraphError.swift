/// Why an ONNX graph's activation memory could not be worked out: which node
/// or input, and what was wrong.
///
/// The file itself read well (a malformed file throws ``ModelFileError``);
/// this error says that the graph asks for something the analysis cannot
/// compute before run time, so the caller falls back to another estimate. Its
/// description is one line: `model.onnx: node #12 NonZero 'nz': the output
/// shape depends on the input data [unsupported-op]`.
public struct ONNXGraphError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A graph input's dimension is symbolic and no binding gives it a value.
        case unboundDimension = "unbound-dimension"
        /// An operator whose output shapes the analysis cannot compute: unknown,
        /// with a subgraph (If, Loop, Scan), or whose shape depends on the data.
        case unsupportedOperator = "unsupported-op"
        /// A shape needs a tensor's values (a Reshape's target, a Slice's
        /// starts) that are only known at run time.
        case unknownValue = "unknown-value"
        /// Shapes that do not fit together: operands that do not broadcast,
        /// a Reshape to a different number of elements, a negative size.
        case shapeMismatch = "shape-mismatch"
        /// A shape with more than 2^62 elements, or arithmetic on dimensions that overflows.
        case tooLarge = "too-large"
        /// A graph that breaks ONNX's rules: a tensor used before it is
        /// produced, produced twice, a missing input or attribute.
        case badGraph = "bad-graph"
    }

    /// The kind of problem.
    public var kind: Kind
    /// The model file, as given.
    public var path: String
    /// The node's position in the graph's node list, where a node is concerned.
    public var nodeIndex: Int?
    /// The node, as `#12 Conv 'conv1'`, where a node is concerned.
    public var node: String?
    /// The tensor or graph input concerned, where there is one.
    public var tensor: String?
    /// What was wrong, in words.
    public var message: String

    /// An error of `kind` in the model at `path`.
    public init(_ kind: Kind, path: String, nodeIndex: Int? = nil, node: String? = nil, tensor: String? = nil,
                _ message: String) {
        self.kind = kind
        self.path = path
        self.nodeIndex = nodeIndex
        self.node = node
        self.tensor = tensor
        self.message = message
    }

    /// One line: the file, the node or tensor, what was wrong and the kind, as `model.onnx: node #3 Reshape: … [unknown-value]`.
    public var description: String {
        var text = path
        if let node { text += ": node \(node)" }
        if let tensor { text += ": tensor '\(tensor)'" }
        return text + ": \(message) [\(kind.rawValue)]"
    }
}

/// A shape computation's failure inside one node, before the node and file are added.
struct ShapeFailure: Error {
    var kind: ONNXGraphError.Kind
    var message: String
    var tensor: String?
    /// Whether the node's output shapes may still be taken from the model's `value_info`.
    var allowsValueInfo: Bool

    init(_ kind: ONNXGraphError.Kind, tensor: String? = nil, allowsValueInfo: Bool = true, _ message: String) {
        self.kind = kind
        self.message = message
        self.tensor = tensor
        self.allowsValueInfo = allowsValueInfo
    }
}
