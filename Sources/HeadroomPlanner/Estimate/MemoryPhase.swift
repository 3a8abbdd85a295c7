/// One moment of a run whose live memory the plan adds up: the forward pass, the
/// top of the backward pass, the optimizer step. A run's peak is the largest
/// phase at the batch in question, so the phase that decides can change with the batch.
public struct MemoryPhase: Sendable, Hashable {
    /// One term: bytes held whatever the batch, plus bytes per item.
    public struct Term: Sendable, Hashable {
        public var name: MemoryEstimate.Part.Name
        public var fixed: Int64
        public var perItem: Int64

        public init(_ name: MemoryEstimate.Part.Name, fixed: Int64 = 0, perItem: Int64 = 0) {
            self.name = name
            self.fixed = max(0, fixed)
            self.perItem = max(0, perItem)
        }

        /// The term's bytes at `batch` items.
        public func bytes(batch: Int64) -> Int64 { fixed.addingSaturating(perItem.multipliedSaturating(by: batch)) }
    }

    /// `forward`, `prefill`, `backward`, `optimizer step`.
    public var name: String
    public var terms: [Term]
    /// The largest batch the phase happens at; `nil` for every batch.
    public var largestBatch: Int64?

    public init(_ name: String, _ terms: [Term], largestBatch: Int64? = nil) {
        self.name = name
        self.terms = terms
        self.largestBatch = largestBatch
    }

    /// Whether the phase happens at `batch` items.
    public func happens(atBatch batch: Int64) -> Bool { largestBatch.map { batch <= $0 } ?? true }

    /// Live bytes at `batch` items.
    public func bytes(batch: Int64) -> Int64 { terms.reduce(0) { $0.addingSaturating($1.bytes(batch: batch)) } }

    /// Bytes one more item adds.
    public var perItem: Int64 { terms.reduce(0) { $0.addingSaturating($1.perItem) } }

    /// Bytes held whatever the batch.
    public var fixed: Int64 { terms.reduce(0) { $0.addingSaturating($1.fixed) } }
}

extension Int64 {
    /// `value` rounded up to a whole number of bytes, saturating; 0 for what is not a positive number.
    init(bytes value: Double) {
        guard !value.isNaN, value > 0 else { self = 0; return }
        self = value >= 9.2e18 ? .max : Int64(value.rounded(.up))
    }
}
