/// Everything `headroom plan` says about one model: what it holds, what a
/// run needs by batch size, the tiers, what fits this machine and the
/// catalog, and the GPU + host-RAM split when the weights do not fit.
public struct FitReport: Sendable, Codable {
    public var schemaVersion = 1
    public var model: ModelSummary
    public var settings: Settings
    /// Total = fixed + perItem × batch, before reserve and overhead.
    public var fixed: ByteCount
    public var perItem: ByteCount
    /// What a batcher starts from: the fixed and per-item memory with the
    /// allocator reserve and runtime overhead included, so `fixed + perItem × batch`
    /// is the table's total at every batch.
    public var batching: BatchingFit
    /// Batch 1, 2, 4, … up to the largest that fits the biggest catalog GPU.
    public var table: [MemoryEstimate]
    /// The estimate at the batch size asked for (`--batch-size`), when one was.
    public var estimate: MemoryEstimate?
    /// An inference engine's settings and the largest context they fit, when `--engine` is given.
    public var engine: EngineFit?
    public var tiers: Tiers
    public var thisMachine: MachineFit
    public var catalog: [CatalogFit]
    /// Present when the weights do not fit the GPU planned for.
    public var split: LayerSplit?
    public var notes: [String]
    /// The `--emit` text (Kubernetes resources or Slurm directives), when asked for.
    public var schedulerRequest: String?

    /// The model as the files describe it.
    public struct ModelSummary: Sendable, Codable {
        public var format: ModelInventory.Format
        public var files: [String]
        public var tensorCount: Int
        public var parameterCount: Int64
        public var weights: ByteCount
        public var bytesByType: [String: Int64]
        public var architecture: ModelArchitecture?
        /// The activations of an ONNX model's graph, where they were computed.
        public var graph: ONNXGraphSummary?

        enum CodingKeys: String, CodingKey {
            case format, files, tensorCount, parameterCount, weights = "weightBytes", bytesByType, architecture, graph
        }
    }

    /// Fixed and per-item memory as a batcher takes them (`BatchBudget`'s `fixed` and `perItem`).
    public struct BatchingFit: Sendable, Hashable, Codable {
        public var fixed: ByteCount
        public var perItem: ByteCount

        public init(fixed: ByteCount, perItem: ByteCount) {
            self.fixed = fixed
            self.perItem = perItem
        }

        /// The largest batch `budget` allows; 0 when not even one item fits.
        public func largestBatch(within budget: MemoryBudget) -> Int {
            budget.largestBatch(fixed: fixed, perItem: perItem)
        }

        enum CodingKeys: String, CodingKey {
            case fixed = "fixedBytes", perItem = "perItemBytes"
        }
    }

    /// What the plan is for.
    public enum Mode: String, Sendable, Hashable, Codable {
        case inference, training
    }

    /// The options the figures were computed with.
    public struct Settings: Sendable, Codable {
        public var mode: Mode
        public var precision: String
        public var sequenceLength: Int64?
        public var level: OptimizationLevel
        public var safetyMargin: Double
        public var runtimeOverhead: ByteCount
        public var allocatorReservePercent: Double
        public var recompute: MemoryModelOptions.Recompute
        public var measured: [MeasuredPoint]
        /// The work planned: forward, generate or training.
        public var run: MemoryModelOptions.Run
        /// The class the activations were planned as.
        public var modelClass: ModelClass?
        public var device: MemoryModelOptions.Device
        /// Where the runtime overhead comes from, in words.
        public var runtimeOverheadSource: String
        public var attention: MemoryModelOptions.Attention
        public var newTokens: Int64
        public var imageSize: ImageSize?
        /// Training: the optimizer, and whether weights are fp32 under 16-bit autocast.
        public var optimizer: MemoryModelOptions.Optimizer?
        public var mixedPrecision: Bool?
        public var kvCache: KVCacheType?

        enum CodingKeys: String, CodingKey {
            case mode, precision, sequenceLength, level, safetyMargin, runtimeOverhead = "runtimeOverheadBytes"
            case allocatorReservePercent, recompute, measured, run, modelClass, device, runtimeOverheadSource
            case attention, newTokens, imageSize, optimizer, mixedPrecision, kvCache
        }
    }

    /// Minimum, recommended and comfortable GPU memory, and how they are derived.
    public struct Tiers: Sendable, Codable {
        public var minimum: ByteCount
        public var recommended: ByteCount
        public var comfortable: ByteCount
        public var comfortableBatch: Int64
        public var derivation: String

        enum CodingKeys: String, CodingKey {
            case minimum = "minimumBytes", recommended = "recommendedBytes", comfortable = "comfortableBytes"
            case comfortableBatch, derivation
        }
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, model, settings, fixed = "fixedBytes", perItem = "perItemBytes", batching, table, tiers
        case thisMachine, catalog, split, notes, schedulerRequest, estimate, engine
    }
}
