import HeadroomProbe

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
    /// Batch 1, 2, 4, … up to the largest that fits the biggest catalog GPU.
    public var table: [MemoryEstimate]
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

        enum CodingKeys: String, CodingKey {
            case format, files, tensorCount, parameterCount, weights = "weightBytes", bytesByType, architecture
        }
    }

    /// The options the figures were computed with.
    public struct Settings: Sendable, Codable {
        public var mode: String
        public var precision: String
        public var sequenceLength: Int64?
        public var level: OptimizationLevel
        public var safetyMargin: Double
        public var runtimeOverhead: ByteCount
        public var allocatorReservePercent: Double
        public var recompute: MemoryModelOptions.Recompute
        public var measured: [MeasuredPoint]

        enum CodingKeys: String, CodingKey {
            case mode, precision, sequenceLength, level, safetyMargin, runtimeOverhead = "runtimeOverheadBytes"
            case allocatorReservePercent, recompute, measured
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
        case schemaVersion, model, settings, fixed = "fixedBytes", perItem = "perItemBytes", table, tiers
        case thisMachine, catalog, split, notes, schedulerRequest
    }
}
