import HeadroomCore

/// A starting batch size from memory: `(free × margin − fixed) ÷ per-item`.
public struct BatchBudget: Sendable, Hashable {
    /// Memory free for the workload now (on the GPU, or in host RAM).
    public var free: ByteCount
    /// Memory the workload needs whatever the batch (weights, context, workspace).
    public var fixed: ByteCount
    /// Memory each item in a batch adds.
    public var perItem: ByteCount
    /// The share of free memory to plan for.
    public var level: OptimizationLevel

    public init(free: ByteCount, fixed: ByteCount = .zero, perItem: ByteCount, level: OptimizationLevel = .balanced) {
        self.free = free
        self.fixed = fixed
        self.perItem = perItem
        self.level = level
    }

    /// The largest batch the budget allows, at least 1.
    public var batchSize: Int {
        guard perItem.bytes > 0 else { return Int.max }
        let usable = (free * level.safetyMargin - fixed).bytes
        return max(1, Int(min(usable / perItem.bytes, Int64(Int32.max))))
    }
}
