extension MemoryModel {
    /// The largest batch the planner reports; a model with no per-item memory "fits" this many.
    public static let maximumBatch: Int64 = 4096

    /// The phase that peaks at `batch` items, from `phases`.
    static func peak(of phases: [MemoryPhase], batch: Int64) -> MemoryPhase {
        phases.filter { $0.happens(atBatch: batch) }.max { $0.bytes(batch: batch) < $1.bytes(batch: batch) } ?? MemoryPhase("empty", [])
    }

    /// Each part and the total at `batch` items: the parts of the phase that peaks there, the allocator
    /// reserve over them and the runtime overhead.
    public func estimate(batch: Int64) -> MemoryEstimate {
        let phase = MemoryModel.peak(of: phases, batch: batch)
        var estimate = MemoryEstimate(batchSize: batch, parts: parts(of: phase, batch: batch), phase: phase.name)
        if !firstStepPhases.isEmpty {
            let first = MemoryModel.peak(of: firstStepPhases, batch: batch)
            estimate.firstStep = MemoryEstimate(batchSize: batch, parts: parts(of: first, batch: batch)).total
        }
        return estimate
    }

    /// `phase`'s terms at `batch` as parts, with the reserve and overhead unless measured.
    func parts(of phase: MemoryPhase, batch: Int64) -> [MemoryEstimate.Part] {
        var parts = phase.terms.map { MemoryEstimate.Part(name: $0.name, size: ByteCount($0.bytes(batch: batch)), scalesWithBatch: $0.perItem > 0) }
        if options.measured.isEmpty {
            let live = parts.reduce(ByteCount.zero) { $0 + $1.size }
            parts.append(.init(name: .allocatorReserve, size: live * options.effectiveAllocatorReserve, scalesWithBatch: perItemBytes > 0))
            parts.append(.init(name: .runtimeOverhead, size: options.effectiveRuntimeOverhead, scalesWithBatch: false))
        }
        return parts
    }

    /// The terms independent of the batch, of the phase that grows fastest with it.
    public var fixedTerms: [(name: MemoryEstimate.Part.Name, bytes: Int64)] {
        growing.terms.filter { $0.fixed > 0 }.map { ($0.name, $0.fixed) }
    }

    /// The terms per item, of the phase that grows fastest with the batch.
    public var perItemTerms: [(name: MemoryEstimate.Part.Name, bytes: Int64)] {
        growing.terms.filter { $0.perItem > 0 }.map { ($0.name, $0.perItem) }
    }

    /// The phase with the most bytes per item, which decides large batches.
    var growing: MemoryPhase {
        phases.filter { $0.largestBatch == nil }.max { ($0.perItem, $0.fixed) < ($1.perItem, $1.fixed) } ?? MemoryPhase("empty", [])
    }

    /// Bytes one more item adds at large batches, before the allocator reserve.
    public var perItemBytes: Int64 { growing.perItem }

    /// The model's total as a line, `fixed + perItem × batch`, allocator reserve and runtime overhead
    /// included: the largest fixed bytes and the largest per-item bytes of any phase, so the line is
    /// never below the estimate, and equals it wherever one phase is the largest at every batch.
    public var line: (fixed: ByteCount, perItem: ByteCount) {
        let reserve = options.measured.isEmpty ? 1 + options.effectiveAllocatorReserve : 1
        let overhead = options.measured.isEmpty ? options.effectiveRuntimeOverhead : .zero
        let fixed = phases.filter { $0.largestBatch == nil }.map(\.fixed).max() ?? 0
        return (ByteCount(fixed) * reserve + overhead, ByteCount(perItemBytes) * reserve)
    }

    /// The largest batch whose total is at most `budget`, capped at ``maximumBatch``; 0 when not even one item fits.
    public func largestBatch(within budget: ByteCount) -> Int64 {
        guard estimate(batch: 1).total <= budget else { return 0 }
        guard perItemBytes > 0 else { return MemoryModel.maximumBatch }
        // Each phase is a line and the peak is their maximum, so the total only grows with the batch: bisect.
        var low: Int64 = 1, high = MemoryModel.maximumBatch
        guard estimate(batch: high).total > budget else { return high }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if estimate(batch: middle).total <= budget { low = middle } else { high = middle }
        }
        return low
    }
}
