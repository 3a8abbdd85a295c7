/// The most activation memory one run of an ONNX graph holds at once, and where.
///
/// Activations are the intermediate tensors nodes produce, with the graph's
/// inputs and outputs; initializers (the weights) and `Constant` values are
/// not counted here. See ``ONNXGraph/activationPeak(_:)`` for the model of
/// allocation and release.
public struct ONNXActivationPeak: Sendable, Hashable, Codable {
    /// One tensor and its size.
    public struct Tensor: Sendable, Hashable, Codable {
        /// The tensor's name in the graph.
        public var name: String
        /// Its bytes: elements × element size.
        public var bytes: ByteCount

        /// The tensor `name` of `bytes` bytes.
        public init(name: String, bytes: ByteCount) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// The most bytes of activations live at once.
    public var peak: ByteCount
    /// The index of the node running at the peak; `nil` when the peak is the graph's inputs alone.
    public var nodeIndex: Int?
    /// The node running at the peak, as `#12 Conv 'conv1'`, or `graph inputs`.
    public var node: String
    /// The bytes of the graph's inputs.
    public var inputs: ByteCount
    /// The bytes of the graph's outputs.
    public var outputs: ByteCount
    /// The largest activation, where there is one.
    public var largestTensor: Tensor?
    /// Nodes whose output shapes were taken from the model's `value_info`
    /// (no rule for their operator, or values known only at run time), as
    /// `#12 Op 'name'`; at most the first 16.
    public var shapesFromValueInfo: [String]
    /// How many nodes took their output shapes from `value_info`.
    public var shapesFromValueInfoCount: Int

    /// A peak as ``ONNXGraph/activationPeak(_:)`` reports it.
    public init(peak: ByteCount, nodeIndex: Int?, node: String, inputs: ByteCount, outputs: ByteCount,
                largestTensor: Tensor?, shapesFromValueInfo: [String] = [], shapesFromValueInfoCount: Int = 0) {
        self.peak = peak
        self.nodeIndex = nodeIndex
        self.node = node
        self.inputs = inputs
        self.outputs = outputs
        self.largestTensor = largestTensor
        self.shapesFromValueInfo = shapesFromValueInfo
        self.shapesFromValueInfoCount = shapesFromValueInfoCount
    }
}

/// How a graph's activation peak grows with the batch: a fixed part and a
/// part per item, from the peaks at batch 1 and batch 2.
public struct ONNXActivationScaling: Sendable, Hashable, Codable {
    /// The activation bytes that do not grow with the batch: `max(0, peak(1) − perItem)`.
    public var fixed: ByteCount
    /// The activation bytes each item adds: `max(0, peak(2) − peak(1))`.
    public var perItem: ByteCount
    /// The peak at batch 1.
    public var batchOfOne: ONNXActivationPeak
    /// The peak at batch 2.
    public var batchOfTwo: ONNXActivationPeak

    /// The fixed and per-item parts of the peaks at batch 1 and batch 2.
    public init(batchOfOne: ONNXActivationPeak, batchOfTwo: ONNXActivationPeak) {
        self.batchOfOne = batchOfOne
        self.batchOfTwo = batchOfTwo
        perItem = ByteCount(max(0, batchOfTwo.peak.bytes.subtractingSaturating(batchOfOne.peak.bytes)))
        fixed = ByteCount(max(0, batchOfOne.peak.bytes.subtractingSaturating(perItem.bytes)))
    }
}
