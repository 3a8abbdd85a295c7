/// Memory one configuration needs at one batch size: each part and their sum.
public struct MemoryEstimate: Sendable, Hashable, Codable {
    /// One term of the sum.
    public struct Part: Sendable, Hashable, Codable {
        /// What a part is; its raw value is the name in the plan's JSON.
        public enum Name: String, Sendable, Hashable, Codable, CaseIterable {
            case weights, gradients, optimizerStates
            /// The optimizer step's temporaries.
            case optimizerStep
            /// 16-bit copies of fp32 weights that mixed precision casts and keeps for the backward pass.
            case weightCopies
            case kvCache, activations
            /// The model's output: vocabulary logits, class maps.
            case logits
            /// The batch's input tensor (pixels).
            case inputs
            case perItem, measuredFixed, measuredPerItem
            /// ONNX Runtime's arena beyond the live tensors: it grows in power-of-two regions.
            case arena
            case allocatorReserve, runtimeOverhead
        }

        public var name: Name
        public var size: ByteCount
        /// Whether the part grows with the batch.
        public var scalesWithBatch: Bool

        public init(name: Name, size: ByteCount, scalesWithBatch: Bool) {
            self.name = name
            self.size = size
            self.scalesWithBatch = scalesWithBatch
        }

        enum CodingKeys: String, CodingKey {
            case name, size = "sizeBytes", scalesWithBatch
        }
    }

    public var batchSize: Int64
    public var parts: [Part]
    /// The moment of the run the parts describe (`forward`, `backward`, `optimizer step`); `nil` from measurements.
    public var phase: String?
    /// Training: the first step's peak, before the optimizer has created its state; `nil` otherwise.
    public var firstStep: ByteCount?

    public init(batchSize: Int64, parts: [Part], phase: String? = nil, firstStep: ByteCount? = nil) {
        self.batchSize = batchSize
        self.parts = parts
        self.phase = phase
        self.firstStep = firstStep
    }

    /// The sum of the parts.
    public var total: ByteCount { parts.reduce(.zero) { $0 + $1.size } }

    /// The part named `name`, zero when absent.
    public func part(_ name: Part.Name) -> ByteCount {
        parts.first { $0.name == name }?.size ?? .zero
    }

    enum CodingKeys: String, CodingKey {
        case batchSize, parts, total = "totalBytes", phase, firstStep = "firstStepTotalBytes"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(parts, forKey: .parts)
        try container.encode(total, forKey: .total)
        try container.encodeIfPresent(phase, forKey: .phase)
        try container.encodeIfPresent(firstStep, forKey: .firstStep)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        batchSize = try container.decode(Int64.self, forKey: .batchSize)
        parts = try container.decode([Part].self, forKey: .parts)
        phase = try container.decodeIfPresent(String.self, forKey: .phase)
        firstStep = try container.decodeIfPresent(ByteCount.self, forKey: .firstStep)
    }
}
