/// One `AttributeProto` of a node, as far as shapes need it: the scalar
/// forms, short lists and a small tensor; subgraphs and long values are not kept.
struct ONNXAttribute: Sendable, Hashable {
    /// The most elements of `ints` or `floats` kept; a longer list is marked ``isTruncated``.
    static let maximumListLength = 4096
    /// The longest `s` kept; a longer string is skipped.
    static let maximumStringLength = 4096

    var name = ""
    /// `AttributeProto.AttributeType`: 1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 5 GRAPH, 6 FLOATS, 7 INTS.
    var type: UInt64 = 0
    var float: Double?
    var int: Int64?
    var string: String?
    var tensor: ONNXConstant?
    var floats: [Double] = []
    var ints: [Int64] = []
    /// Whether the attribute holds a subgraph (`g` or `graphs`), which is skipped.
    var holdsGraph = false
    /// Whether `ints` or `floats` held more than ``maximumListLength`` elements, or `s` was too long to keep.
    var isTruncated = false
}

extension ONNXGraph.Node {
    /// The attribute called `name`, where the node has one.
    func attribute(_ name: String) -> ONNXAttribute? {
        attributes.first { $0.name == name }
    }
}
