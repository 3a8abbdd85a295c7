/// What run to plan for: the work, the device, the precision and the input's size.
public struct MemoryModelOptions: Sendable, Hashable, Codable {
    /// Activation memory kept for the backward pass.
    public enum Recompute: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every activation kept.
        case none
        /// Selective recomputation: attention scores and the MLP's inner activations recomputed.
        case selective
        /// Full recomputation: only each layer's input kept, one layer recomputed at a time.
        case full
    }

    /// The CUDA context, cuBLAS/cuDNN workspaces and the framework's own
    /// buffers: 512 MiB by default (PyTorch on Ampere and Hopper takes 300–600 MiB
    /// before the first tensor).
    public static let defaultRuntimeOverhead = ByteCount.mebibytes(512)
    /// What PyTorch takes on its first run on a CPU beyond the memory it holds after import: 50 MiB.
    public static let defaultCPUOverhead = ByteCount.mebibytes(50)
    /// The caching allocator's slack over live tensors (fragmentation, rounding
    /// to 2 MiB segments): 10% by default on a GPU.
    public static let defaultAllocatorReserve = 0.10
    /// The sequence length used when none is given: the model's context length, capped here.
    public static let defaultSequenceCap: Int64 = 4096

    /// The work planned; `nil` for the model's usual one (``Run/generate`` for decoders, ``Run/forward`` otherwise).
    public var run: Run?
    /// Re-cast weights to this precision; `nil` keeps them as stored.
    public var precision: Precision?
    /// Tokens per item (the prompt, when generating); `nil` for the model's context length capped at ``defaultSequenceCap`` (2,048 when unknown).
    public var sequenceLength: Int64?
    /// Tokens generated after the prompt (``Run/generate``); the KV cache holds prompt + new tokens.
    public var newTokens: Int64
    /// The image of one item, for vision models; `nil` for the config's `image_size`.
    public var image: ImageSize?
    /// Memory each item of a batch needs, given by the user; replaces the computed per-item terms.
    public var perItem: ByteCount?
    /// `nil` for the device's default: the CUDA context on a GPU (512 MiB), the framework's working memory on a CPU (50 MiB).
    public var runtimeOverhead: ByteCount?
    /// A share (0.1 = 10%) added over weights, activations and caches; `nil` for the device's default (10% on a GPU, none on a CPU).
    public var allocatorReserve: Double?
    public var recompute: Recompute
    /// Measured `(batch size, memory)` pairs; two or more replace the formulas with a fitted line.
    public var measured: [MeasuredPoint]
    /// Where the run happens.
    public var device: Device
    /// How attention is computed.
    public var attention: Attention
    /// The optimizer whose state training keeps.
    public var optimizer: Optimizer
    /// Training with fp32 weights and 16-bit autocast (``precision`` bf16 or fp16 gives the compute type).
    public var mixedPrecision: Bool
    /// The KV cache's element type; `nil` for the compute type.
    public var kvCache: KVCacheType?

    /// Whether the run trains.
    public var training: Bool {
        get { run == .training }
        set { run = newValue ? .training : (run == .training ? nil : run) }
    }

    public init(training: Bool = false, precision: Precision? = nil, sequenceLength: Int64? = nil, perItem: ByteCount? = nil,
                runtimeOverhead: ByteCount? = nil, allocatorReserve: Double? = nil,
                recompute: Recompute = .none, measured: [MeasuredPoint] = [], run: Run? = nil, newTokens: Int64 = 0,
                image: ImageSize? = nil, device: Device = .gpu, attention: Attention = .sdpa, optimizer: Optimizer = .adamw,
                mixedPrecision: Bool = false, kvCache: KVCacheType? = nil) {
        self.run = training ? .training : run
        self.precision = precision
        self.sequenceLength = sequenceLength
        self.newTokens = newTokens
        self.image = image
        self.perItem = perItem
        self.runtimeOverhead = runtimeOverhead
        self.allocatorReserve = allocatorReserve
        self.recompute = recompute
        self.measured = measured
        self.device = device
        self.attention = attention
        self.optimizer = optimizer
        self.mixedPrecision = mixedPrecision
        self.kvCache = kvCache
    }

    /// The runtime overhead in effect: the one given, or the device's.
    public var effectiveRuntimeOverhead: ByteCount { runtimeOverhead ?? device.runtimeOverhead }

    /// The allocator reserve in effect: the one given, or the device's.
    public var effectiveAllocatorReserve: Double { allocatorReserve ?? device.allocatorReserve }
}

/// Memory measured at one batch size (`--measured 4:10.3GiB`).
public struct MeasuredPoint: Sendable, Hashable, Codable {
    public var batchSize: Int64
    public var memory: ByteCount

    public init(batchSize: Int64, memory: ByteCount) {
        self.batchSize = batchSize
        self.memory = memory
    }

    enum CodingKeys: String, CodingKey {
        case batchSize, memory = "memoryBytes"
    }
}
