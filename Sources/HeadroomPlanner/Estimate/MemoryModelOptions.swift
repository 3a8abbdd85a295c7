/// What run to plan for: inference or training, at which precision and sequence length.
public struct MemoryModelOptions: Sendable, Hashable, Codable {
    /// Activation memory kept for the backward pass.
    public enum Recompute: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every activation kept: s·b·h·(34 + 5·a·s/h) bytes per layer.
        case none
        /// Selective recomputation (attention recomputed): s·b·h·34 per layer.
        case selective
        /// Full recomputation (only each layer's input kept): 2·s·b·h per layer.
        case full
    }

    /// The CUDA context, cuBLAS/cuDNN workspaces and the framework's own
    /// buffers: 512 MiB by default (PyTorch on Ampere and Hopper takes 300–600 MiB
    /// before the first tensor).
    public static let defaultRuntimeOverhead = ByteCount.mebibytes(512)
    /// The caching allocator's slack over live tensors (fragmentation, rounding
    /// to 2 MiB segments): 10% by default.
    public static let defaultAllocatorReserve = 0.10
    /// The sequence length used when none is given: the model's context length, capped here.
    public static let defaultSequenceCap: Int64 = 4096

    public var training: Bool
    /// Re-cast weights to this precision; `nil` keeps them as stored.
    public var precision: Precision?
    /// Tokens per item; `nil` for the model's context length capped at ``defaultSequenceCap`` (2,048 when unknown).
    public var sequenceLength: Int64?
    /// Memory each item of a batch needs, given by the user; replaces the computed per-item terms.
    public var perItem: ByteCount?
    public var runtimeOverhead: ByteCount
    /// A share (0.1 = 10%) added over weights, activations and caches.
    public var allocatorReserve: Double
    public var recompute: Recompute
    /// Measured `(batch size, memory)` pairs; two or more replace the formulas with a fitted line.
    public var measured: [MeasuredPoint]

    public init(training: Bool = false, precision: Precision? = nil, sequenceLength: Int64? = nil, perItem: ByteCount? = nil,
                runtimeOverhead: ByteCount = MemoryModelOptions.defaultRuntimeOverhead,
                allocatorReserve: Double = MemoryModelOptions.defaultAllocatorReserve,
                recompute: Recompute = .none, measured: [MeasuredPoint] = []) {
        self.training = training
        self.precision = precision
        self.sequenceLength = sequenceLength
        self.perItem = perItem
        self.runtimeOverhead = runtimeOverhead
        self.allocatorReserve = allocatorReserve
        self.recompute = recompute
        self.measured = measured
    }
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
