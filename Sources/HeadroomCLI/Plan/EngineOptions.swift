import ArgumentParser
import HeadroomAdvisor

/// `headroom plan --engine vllm|llama.cpp` and each engine's own settings, named as the engine names them.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Say the largest context these engine settings fit: vllm or llama.cpp.")
    var engine: EngineSettings.Kind?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("vLLM's share of GPU memory (default 0.9).", valueName: "share"))
    var gpuMemoryUtilization: Double?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("vLLM's sequences at once (default 256).", valueName: "n"))
    var maxNumSeqs: Int64?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("vLLM's tokens per forward pass it profiles (default 8192).", valueName: "n"))
    var maxNumBatchedTokens: Int64?

    @Option(name: [.long, .customLong("ctx-size")], parsing: .unconditional,
            help: ArgumentHelp("The context to check: vLLM's --max-model-len, llama.cpp's --ctx-size (default: the model's).", valueName: "tokens"))
    var maxModelLen: Int64?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("llama.cpp's layers on the GPU (default: all).", valueName: "n"))
    var nGpuLayers: Int64?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("llama.cpp's tokens per compute step (default 512).", valueName: "n"))
    var ubatchSize: Int64?

    @Flag(name: .long, help: "llama.cpp's -ot exps=CPU: a mixture of experts' expert tensors stay in host RAM.")
    var offloadExperts = false

    func validate() throws {
        guard let engine else {
            if gpuMemoryUtilization != nil || maxNumSeqs != nil || maxNumBatchedTokens != nil || maxModelLen != nil
                || nGpuLayers != nil || ubatchSize != nil || offloadExperts {
                throw ValidationError("engine settings need --engine vllm or --engine llama.cpp")
            }
            return
        }
        if let share = gpuMemoryUtilization, !(share > 0 && share <= 1) {
            throw ValidationError("--gpu-memory-utilization takes a share above 0 and at most 1; got \(share)")
        }
        for (flag, value, range) in [("--max-num-seqs", maxNumSeqs, Int64(1)...65_536), ("--max-num-batched-tokens", maxNumBatchedTokens, 1...(1 << 24)),
                                     ("--max-model-len", maxModelLen, 1...(1 << 24)), ("--n-gpu-layers", nGpuLayers, 0...100_000),
                                     ("--ubatch-size", ubatchSize, 1...65_536)] {
            if let value, !range.contains(value) {
                throw ValidationError("\(flag) takes \(range.lowerBound) to \(range.upperBound); got \(value)")
            }
        }
        if engine == .vllm, nGpuLayers != nil || ubatchSize != nil || offloadExperts {
            throw ValidationError("--n-gpu-layers, --ubatch-size and --offload-experts are llama.cpp's; vLLM keeps every layer on the GPU")
        }
        if engine == .llamaCpp, gpuMemoryUtilization != nil || maxNumSeqs != nil || maxNumBatchedTokens != nil {
            throw ValidationError("--gpu-memory-utilization, --max-num-seqs and --max-num-batched-tokens are vLLM's")
        }
    }

    /// The settings, or `nil` without `--engine`.
    func settings(kvCache: KVCacheType?) -> EngineSettings? {
        engine.map { kind in
            EngineSettings(kind: kind, gpuMemoryUtilization: gpuMemoryUtilization ?? 0.9, maxSequences: maxNumSeqs ?? 256,
                           contextLength: maxModelLen, batchedTokens: maxNumBatchedTokens ?? 8192, gpuLayers: nGpuLayers,
                           kvCache: kvCache, offloadExperts: offloadExperts, microBatch: ubatchSize ?? 512)
        }
    }
}
