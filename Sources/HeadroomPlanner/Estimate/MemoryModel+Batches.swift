extension MemoryModel {
    /// The largest batch the planner reports; a model with no per-item memory "fits" this many.
    public static let maximumBatch: Int64 = 4096

    /// Each part and the total at `batch` items.
    public func estimate(batch: Int64) -> MemoryEstimate {
        var parts = fixedTerms.map { MemoryEstimate.Part(name: $0.name, size: ByteCount($0.bytes), scalesWithBatch: false) }
        parts += perItemTerms.map { MemoryEstimate.Part(name: $0.name, size: ByteCount($0.bytes.multipliedSaturating(by: batch)), scalesWithBatch: true) }
        if options.measured.isEmpty {
            let live = parts.reduce(ByteCount.zero) { $0 + $1.size }
            parts.append(.init(name: .allocatorReserve, size: live * options.allocatorReserve, scalesWithBatch: !perItemTerms.isEmpty))
            parts.append(.init(name: .runtimeOverhead, size: options.runtimeOverhead, scalesWithBatch: false))
        }
        return MemoryEstimate(batchSize: batch, parts: parts)
    }

    /// Bytes one more item adds, before the allocator reserve.
    public var perItemBytes: Int64 { perItemTerms.reduce(0) { $0.addingSaturating($1.bytes) } }

    /// The model's total as a line, `fixed + perItem × batch`, from the estimates at
    /// batch 1 and 2: allocator reserve and runtime overhead included.
    public var line: (fixed: ByteCount, perItem: ByteCount) {
        let one = estimate(batch: 1).total
        let perItem = (estimate(batch: 2).total - one).clampedToZero
        return ((one - perItem).clampedToZero, perItem)
    }

    /// The largest batch whose total is at most `budget`, capped at ``maximumBatch``; 0 when not even one item fits.
    public func largestBatch(within budget: ByteCount) -> Int64 {
        guard estimate(batch: 1).total <= budget else { return 0 }
        guard perItemBytes > 0 else { return MemoryModel.maximumBatch }
        // Solve the line, then step to the exact answer the rounding allows.
        let (fixed, perItem) = line
        var batch = Int64(max(1, min(MemoryBudget.largestBatch(within: budget, fixed: fixed, perItem: perItem),
                                     Int(MemoryModel.maximumBatch))))
        while batch > 1, estimate(batch: batch).total > budget { batch -= 1 }
        while batch < MemoryModel.maximumBatch, estimate(batch: batch + 1).total <= budget { batch += 1 }
        return batch
    }
}
