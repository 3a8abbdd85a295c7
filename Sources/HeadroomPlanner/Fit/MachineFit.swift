/// What fits the GPUs and RAM of the machine the plan runs on.
public struct MachineFit: Sendable, Codable {
    /// One GPU of this machine (or the one given with `--gpu-memory`).
    public struct GPU: Sendable, Codable {
        public var index: Int
        public var name: String
        public var free: ByteCount
        /// Free × the level's margin.
        public var budget: ByteCount
        /// The largest batch within the budget; 0 when batch 1 does not fit.
        public var largestBatch: Int64

        enum CodingKeys: String, CodingKey {
            case index, name, free = "freeBytes", budget = "budgetBytes", largestBatch
        }
    }

    /// A CPU run's fit in RAM: the lower of host and container available × the level's margin.
    public struct CPU: Sendable, Codable {
        public var budget: ByteCount
        /// The largest batch within the budget; 0 when batch 1 does not fit.
        public var largestBatch: Int64

        enum CodingKeys: String, CodingKey {
            case budget = "budgetBytes", largestBatch
        }
    }

    public var gpus: [GPU]
    /// Host RAM available now (`MemAvailable`).
    public var hostAvailable: ByteCount
    /// The container's headroom (limit minus use), where a limit is set.
    public var containerAvailable: ByteCount?
    /// Present for `--device cpu`.
    public var cpu: CPU?

    enum CodingKeys: String, CodingKey {
        case gpus, hostAvailable = "hostAvailableBytes", containerAvailable = "containerAvailableBytes", cpu
    }
}

/// One catalog GPU: whether the model fits one, several, or none.
public struct CatalogFit: Sendable, Codable {
    public enum Verdict: String, Sendable, Codable {
        case fits
        case fitsWithSeveral = "fits-with-n-gpus"
        case doesNotFit = "does-not-fit"
    }

    public var gpu: CatalogGPU
    /// Usable memory × the level's margin.
    public var budget: ByteCount
    public var verdict: Verdict
    /// GPUs needed at batch 1 (weights and caches split evenly, runtime overhead on each).
    public var gpuCount: Int?
    /// The largest batch on one GPU; 0 when it does not fit one.
    public var largestBatch: Int64

    enum CodingKeys: String, CodingKey {
        case gpu, budget = "budgetBytes", verdict, gpuCount, largestBatch
    }
}

/// Layers on the GPU and the rest in host RAM (llama.cpp's `--n-gpu-layers`,
/// accelerate's `device_map` with `max_memory`), when the weights do not fit the GPU.
public struct LayerSplit: Sendable, Codable {
    public var gpuName: String
    public var gpuBudget: ByteCount
    public var totalLayers: Int64
    public var layersOnGPU: Int64
    public var layersInHost: Int64
    public var gpuBytes: ByteCount
    public var hostBytes: ByteCount
    /// Host RAM the level allows: the lower of host and container available × margin.
    public var hostBudget: ByteCount
    public var fitsHost: Bool
    public var summary: String

    enum CodingKeys: String, CodingKey {
        case gpuName, gpuBudget = "gpuBudgetBytes", totalLayers, layersOnGPU, layersInHost
        case gpuBytes, hostBytes, hostBudget = "hostBudgetBytes", fitsHost, summary
    }
}
