/// The ML frameworks Headroom writes settings for.
public enum Framework: String, Sendable, Hashable, Codable, CaseIterable {
    case onnxruntime, torch, tensorflow, jax
}

/// One environment variable to set, with the framework it is for and why.
public struct EnvironmentSetting: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    /// The framework that reads it; `nil` for settings every framework honours (`OMP_NUM_THREADS`).
    public var framework: Framework?
    /// What it does, and code that reads it where the framework has no variable of its own.
    public var comment: String

    public init(name: String, value: String, framework: Framework?, comment: String) {
        self.name = name
        self.value = value
        self.framework = framework
        self.comment = comment
    }
}

/// The settings for a chosen set of frameworks, from one set of recommendations.
public struct FrameworkSettings: Sendable, Hashable, Codable {
    /// The GPU the settings were computed for; `nil` without a GPU.
    public var gpuIndex: Int?
    /// The memory limit given to the GPU frameworks.
    public var gpuMemoryLimit: ByteCount?
    /// The limit as a share of the GPU's total memory.
    public var gpuMemoryFraction: Double?
    /// ONNX Runtime's CUDA execution provider options, in order; empty without a GPU.
    public var onnxRuntimeCUDAOptions: [KeyValue]
    /// The environment variables, in the order they should be printed.
    public var variables: [EnvironmentSetting]
    /// Remarks for a person, such as why GPU settings were left out.
    public var notes: [String]

    public struct KeyValue: Sendable, Hashable, Codable {
        public var key: String
        public var value: String
    }

    enum CodingKeys: String, CodingKey {
        case gpuIndex, gpuMemoryLimit = "gpuMemoryLimitBytes", gpuMemoryFraction, onnxRuntimeCUDAOptions,
             variables, notes
    }
}
