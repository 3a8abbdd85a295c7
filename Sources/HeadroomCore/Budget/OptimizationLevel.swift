/// How close to the edge of free memory a workload may go.
///
/// Each level takes a share of the memory that is free now (its safety
/// margin) and leaves the rest for fragmentation, other processes and spikes.
public enum OptimizationLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// Half of free memory: shared machines, long unattended runs.
    case conservative
    /// Three quarters of free memory: the default.
    case balanced
    /// 85% of free memory: a dedicated machine.
    case aggressive
    /// 95% of free memory: benchmarks and a machine that runs nothing else.
    case extreme

    /// The share of free memory a workload may plan to use.
    public var safetyMargin: Double {
        switch self {
        case .conservative: 0.50
        case .balanced: 0.75
        case .aggressive: 0.85
        case .extreme: 0.95
        }
    }
}
