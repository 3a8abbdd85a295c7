/// What the liveness analysis of an ONNX model's graph found: the peak of live
/// intermediate tensors at batch 1 and how it grows per item.
public struct ONNXGraphSummary: Sendable, Hashable, Codable {
    /// Nodes in the graph.
    public var nodes: Int
    /// Live intermediate bytes at the peak, batch 1.
    public var peak: ByteCount
    /// Bytes the peak grows by per item.
    public var perItem: ByteCount
    /// The node at which the batch-1 peak happens.
    public var peakNode: String
    /// The largest single tensor at batch 1.
    public var largestTensor: String
    /// Why the graph could not be analysed, when it could not (the plan then falls back).
    public var unresolved: String?

    public init(nodes: Int, peak: ByteCount, perItem: ByteCount, peakNode: String, largestTensor: String, unresolved: String? = nil) {
        self.nodes = nodes
        self.peak = peak
        self.perItem = perItem
        self.peakNode = peakNode
        self.largestTensor = largestTensor
        self.unresolved = unresolved
    }

    enum CodingKeys: String, CodingKey {
        case nodes, peak = "peakBytes", perItem = "perItemBytes", peakNode, largestTensor, unresolved
    }
}
