/// A GPU model people plan for, with the memory a workload can use on it.
public struct CatalogGPU: Sendable, Hashable, Codable {
    public var name: String
    /// Memory on the board (for Apple, the machine's unified memory).
    public var memory: ByteCount
    /// Memory shared with the CPU (Apple M-series): the GPU may use
    /// ``GPUCatalog/unifiedShare`` of it, what Metal's `recommendedMaxWorkingSetSize` allows.
    public var isUnifiedMemory: Bool

    public init(name: String, memory: ByteCount, isUnifiedMemory: Bool = false) {
        self.name = name
        self.memory = memory
        self.isUnifiedMemory = isUnifiedMemory
    }

    /// Memory the GPU can give one process: the board, or the unified share.
    public var usableMemory: ByteCount {
        isUnifiedMemory ? memory * GPUCatalog.unifiedShare : memory
    }

    enum CodingKeys: String, CodingKey {
        case name, memory = "memoryBytes", isUnifiedMemory
    }
}

/// The GPUs `headroom plan` checks a model against.
public enum GPUCatalog {
    /// The share of unified memory macOS lets the GPU wire (about 3/4 on machines above 36 GB).
    public static let unifiedShare = 0.75

    /// Consumer cards by memory size, data-centre cards by name, and Apple M-series sizes.
    /// Sizes are what the driver reports as total (H200's 141 GB is 143,771 MiB).
    public static let standard: [CatalogGPU] = [
        CatalogGPU(name: "consumer 8 GB (RTX 4060, 3070)", memory: .gibibytes(8)),
        CatalogGPU(name: "consumer 12 GB (RTX 4070, 3060)", memory: .gibibytes(12)),
        CatalogGPU(name: "consumer 16 GB (RTX 4080, 4060 Ti)", memory: .gibibytes(16)),
        CatalogGPU(name: "consumer 24 GB (RTX 4090, 3090)", memory: .gibibytes(24)),
        CatalogGPU(name: "NVIDIA A10 24 GB", memory: .gibibytes(24)),
        CatalogGPU(name: "NVIDIA L4 24 GB", memory: .gibibytes(24)),
        CatalogGPU(name: "NVIDIA L40S 48 GB", memory: .gibibytes(48)),
        CatalogGPU(name: "NVIDIA A100 40 GB", memory: .gibibytes(40)),
        CatalogGPU(name: "NVIDIA A100 80 GB", memory: .gibibytes(80)),
        CatalogGPU(name: "NVIDIA H100 80 GB", memory: .gibibytes(80)),
        CatalogGPU(name: "NVIDIA H200 141 GB", memory: .mebibytes(143_771)),
        CatalogGPU(name: "Apple M-series 16 GB unified", memory: .gibibytes(16), isUnifiedMemory: true),
        CatalogGPU(name: "Apple M-series 36 GB unified", memory: .gibibytes(36), isUnifiedMemory: true),
        CatalogGPU(name: "Apple M-series 64 GB unified", memory: .gibibytes(64), isUnifiedMemory: true),
        CatalogGPU(name: "Apple M-series 128 GB unified", memory: .gibibytes(128), isUnifiedMemory: true),
        CatalogGPU(name: "Apple M-series 192 GB unified", memory: .gibibytes(192), isUnifiedMemory: true),
    ]
}
