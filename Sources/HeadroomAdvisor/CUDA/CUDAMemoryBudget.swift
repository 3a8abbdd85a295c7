/// A batch budget read from a CUDA device's free memory (`cuMemGetInfo`).
///
/// ```swift
/// let budget = try CUDAMemoryBudget(device: 0, perItem: .mebibytes(300), fixed: .gibibytes(2))
/// let batcher = AdaptiveBatcher(options: BatchingOptions(start: .budget(try budget.current())))
/// ```
///
/// The free figure is what the driver will hand out now, after the primary
/// context and every other process on the device; read it again when the
/// device's tenants change.
public struct CUDAMemoryBudget: Sendable {
    /// The device's primary context, retained while the budget lives.
    public let context: CUDAContext
    /// Memory each item adds.
    public var perItem: ByteCount
    /// Memory the workload needs whatever the batch: weights, workspace.
    public var fixed: ByteCount
    /// The share of free memory to plan for.
    public var level: OptimizationLevel

    /// A budget for device `device` of `driver` (by default the driver ``CUDADriver/load(path:)`` finds).
    /// - Throws: ``CUDAError`` when the driver cannot be loaded or the device has no context.
    public init(device: Int = 0, driver: CUDADriver? = nil, perItem: ByteCount, fixed: ByteCount = .zero,
                level: OptimizationLevel = .balanced) throws(CUDAError) {
        let loaded: CUDADriver
        if let driver { loaded = driver } else { loaded = try CUDADriver.load() }
        context = try loaded.primaryContext(device: device)
        self.perItem = perItem
        self.fixed = fixed
        self.level = level
    }

    /// The budget from the device's free memory now.
    /// The corresponding CUDA function is `cuMemGetInfo_v2`.
    public func current() throws(CUDAError) -> BatchBudget {
        let memory = try context.memoryInfo()
        return BatchBudget(free: memory.free, fixed: fixed, perItem: perItem, level: level)
    }
}
