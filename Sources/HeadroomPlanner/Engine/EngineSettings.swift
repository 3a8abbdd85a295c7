/// An LLM serving engine's memory settings, as its users set them.
public struct EngineSettings: Sendable, Hashable, Codable {
    /// The engine.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case vllm
        case llamaCpp = "llama.cpp"
    }

    public var kind: Kind
    /// vLLM's `--gpu-memory-utilization`: the share of the GPU's memory vLLM takes (0.9).
    public var gpuMemoryUtilization: Double
    /// vLLM's `--max-num-seqs`: sequences batched at once (256).
    public var maxSequences: Int64
    /// vLLM's `--max-model-len`, llama.cpp's `-c`/`n_ctx`: the context asked for; `nil` for the model's own.
    public var contextLength: Int64?
    /// vLLM's `--max-num-batched-tokens`: the tokens of one forward pass it profiles (8192).
    public var batchedTokens: Int64
    /// llama.cpp's `-ngl`/`n_gpu_layers`: layers on the GPU; `nil` for all of them.
    public var gpuLayers: Int64?
    /// The KV cache's type: llama.cpp's `-ctk`/`-ctv` (`f16`, `q8_0`, `q4_0`), vLLM's `--kv-cache-dtype` (`fp8`); `nil` for the engine's default.
    public var kvCache: KVCacheType?
    /// llama.cpp's `-ot exps=CPU` (`--cpu-moe`): a mixture of experts' expert tensors stay in host RAM.
    public var offloadExperts: Bool
    /// llama.cpp's `-ub`/`n_ubatch`: tokens per compute step (512).
    public var microBatch: Int64

    public init(kind: Kind, gpuMemoryUtilization: Double = 0.9, maxSequences: Int64 = 256, contextLength: Int64? = nil,
                batchedTokens: Int64 = 8192, gpuLayers: Int64? = nil, kvCache: KVCacheType? = nil,
                offloadExperts: Bool = false, microBatch: Int64 = 512) {
        self.kind = kind
        self.gpuMemoryUtilization = gpuMemoryUtilization
        self.maxSequences = maxSequences
        self.contextLength = contextLength
        self.batchedTokens = batchedTokens
        self.gpuLayers = gpuLayers
        self.kvCache = kvCache
        self.offloadExperts = offloadExperts
        self.microBatch = microBatch
    }
}
