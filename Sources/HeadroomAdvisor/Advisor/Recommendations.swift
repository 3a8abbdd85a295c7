/// Settings computed from a ``MemorySnapshot`` at one ``OptimizationLevel``.
public struct Recommendations: Sendable, Hashable, Codable {
    public var level: OptimizationLevel
    /// The share of free memory planned for, from the level.
    public var safetyMargin: Double
    /// One entry per GPU whose memory could be read.
    public var gpus: [GPURecommendation]
    /// Host RAM the workload should stay under: available memory (the
    /// container's, where it is lower) times the margin.
    public var hostMemoryCap: ByteCount
    /// Threads for CPU work (OpenMP, intra-op pools), from the effective CPUs.
    public var threads: Int
    /// Things a person should know and can act on.
    public var warnings: [Warning]

    enum CodingKeys: String, CodingKey {
        case level, safetyMargin, gpus, hostMemoryCap = "hostMemoryCapBytes", threads, warnings
    }
}

/// What one GPU can be given.
public struct GPURecommendation: Sendable, Hashable, Codable {
    public var index: Int
    public var name: String?
    /// Free memory now (shared host memory for a unified-memory GPU).
    public var free: ByteCount
    /// The memory the frameworks' fractions are taken of.
    public var total: ByteCount
    /// The byte limit to give an allocator: free × margin.
    public var memoryLimit: ByteCount
    /// ``memoryLimit`` as a share of ``total``, as PyTorch and JAX take it.
    public var memoryFraction: Double
    public var isUnifiedMemory: Bool
    /// The device's number inside the job when `CUDA_VISIBLE_DEVICES` is set; `nil` when unset
    /// (then ``index`` is also the job's number).
    public var cudaDevice: Int? = nil
    /// The MIG device the job gets, when it gets a slice rather than the GPU.
    public var migDeviceUUID: String? = nil

    /// The number the job's framework uses for this device (`cuda:N`, `device_id`).
    public var frameworkDevice: Int { cudaDevice ?? index }

    enum CodingKeys: String, CodingKey {
        case index, name, free = "freeBytes", total = "totalBytes", memoryLimit = "memoryLimitBytes",
             memoryFraction, isUnifiedMemory, cudaDevice, migDeviceUUID
    }
}

/// A finding about the machine, with what to do about it.
public struct Warning: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What a warning is about; its raw value is the stable identifier scripts read in the JSON.
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        case swapInUse, memoryPressure, containerLimit, containerNearLimit, oomKills
        case gpuMemoryHeld, gpuReservedMemory, unifiedMemory, noGPU, lowMemory
        case cudaVisibleDevices, migModePending
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
