import HeadroomCore

/// A starting batch size from memory: `(free × margin − fixed) ÷ per-item`.
public struct BatchBudget: Sendable, Hashable {
    /// The memory the level allows of what is free now (on the GPU, or in host RAM).
    public var budget: MemoryBudget
    /// Memory the workload needs whatever the batch (weights, context, workspace).
    public var fixed: ByteCount
    /// Memory each item in a batch adds.
    public var perItem: ByteCount

    public init(budget: MemoryBudget, fixed: ByteCount = .zero, perItem: ByteCount) {
        self.budget = budget
        self.fixed = fixed
        self.perItem = perItem
    }

    /// A budget of `free` memory at `level`.
    public init(free: ByteCount, fixed: ByteCount = .zero, perItem: ByteCount, level: OptimizationLevel = .balanced) {
        self.init(budget: MemoryBudget(free: free, level: level), fixed: fixed, perItem: perItem)
    }

    /// Memory free for the workload now.
    public var free: ByteCount { budget.free }
    /// The share of free memory to plan for.
    public var level: OptimizationLevel { budget.level }

    /// The largest batch the budget allows, at least 1 (the batcher finds out whether one fits).
    public var batchSize: Int {
        guard perItem.bytes > 0 else { return Int.max }
        return max(1, min(budget.largestBatch(fixed: fixed, perItem: perItem), Int(Int32.max)))
    }
}
