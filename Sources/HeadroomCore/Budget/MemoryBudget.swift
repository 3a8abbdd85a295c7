/// The memory a workload may plan to use: free memory × the level's safety margin.
///
/// Computed once, here, for every module: the advisor's GPU limits and host
/// cap, the planner's fit and split, and a batcher's starting size all take a
/// `MemoryBudget` instead of multiplying free memory by a margin themselves.
public struct MemoryBudget: Sendable, Hashable, Codable {
    /// Memory free for the workload now (on a GPU, or in host RAM).
    public var free: ByteCount
    /// How close to the edge of ``free`` to go.
    public var level: OptimizationLevel

    public init(free: ByteCount, level: OptimizationLevel = .balanced) {
        self.free = free
        self.level = level
    }

    /// The share of free memory the level allows: `free × level.safetyMargin`.
    public var usable: ByteCount { free * level.safetyMargin }

    /// The largest number of items of `perItem` bytes each that fit beside `fixed`
    /// within ``usable``: `⌊(usable − fixed) ÷ perItem⌋`, 0 when not even one fits.
    /// Without per-item memory every batch fits: `Int.max`.
    public func largestBatch(fixed: ByteCount, perItem: ByteCount) -> Int {
        MemoryBudget.largestBatch(within: usable, fixed: fixed, perItem: perItem)
    }

    /// The largest number of items of `perItem` bytes each that fit beside `fixed`
    /// within `limit`: `⌊(limit − fixed) ÷ perItem⌋`, 0 when not even one fits, and
    /// `Int.max` without per-item memory. The one largest-batch formula.
    public static func largestBatch(within limit: ByteCount, fixed: ByteCount, perItem: ByteCount) -> Int {
        guard perItem.bytes > 0 else { return .max }
        let room = (limit - fixed).bytes
        guard room >= perItem.bytes else { return 0 }
        return Int(min(room / perItem.bytes, Int64(Int.max)))
    }

    enum CodingKeys: String, CodingKey {
        case free = "freeBytes", level
    }
}
