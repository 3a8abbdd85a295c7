/// What an engine's settings leave for the KV cache on each GPU, and the largest context that fits.
public struct EngineFit: Sendable, Codable {
    /// One GPU the engine was fitted to.
    public struct Target: Sendable, Codable {
        public var gpuName: String
        /// The GPU's memory the plan starts from: free memory on this machine, the board's in the catalog.
        public var memory: ByteCount
        /// What the engine may use: vLLM's utilization × memory; for llama.cpp, memory × the level's margin.
        public var budget: ByteCount
        /// Weights on the GPU.
        public var weights: ByteCount
        /// vLLM's profiled activation peak, llama.cpp's compute buffer at the context asked for.
        public var activations: ByteCount
        /// The CUDA context and, for vLLM, its CUDA graphs.
        public var overhead: ByteCount
        /// Bytes of KV cache per token of context on this GPU.
        public var kvPerToken: ByteCount
        /// The longest context one sequence can have, capped at the model's own; 0 when the weights do not fit.
        public var largestContext: Int64
        /// Whether the context asked for fits.
        public var fits: Bool
        /// vLLM: sequences of the context asked for that fit at once, up to `--max-num-seqs`.
        public var concurrentSequences: Int64?

        enum CodingKeys: String, CodingKey {
            case gpuName, memory = "memoryBytes", budget = "budgetBytes", weights = "weightBytes"
            case activations = "activationBytes", overhead = "overheadBytes", kvPerToken = "kvPerTokenBytes"
            case largestContext, fits, concurrentSequences
        }
    }

    public var settings: EngineSettings
    /// The context the fits were checked for: the one asked for, or the model's.
    public var context: Int64
    /// llama.cpp: layers on the GPU, of all layers.
    public var gpuLayers: Int64?
    public var totalLayers: Int64
    public var targets: [Target]
    /// What the plan assumed, in words.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case settings, context, gpuLayers, totalLayers, targets, notes
    }
}

extension EngineFit {
    /// Contexts are rounded down to this many tokens (vLLM's and llama.cpp's blocks divide it).
    static let contextStep: Int64 = 256

    /// Fits `settings` to this machine's GPUs, or to the catalog's when it has none.
    static func plan(_ settings: EngineSettings, inventory: ModelInventory, model: MemoryModel, machine: MachineResources,
                     catalog: [CatalogGPU], level: OptimizationLevel) -> EngineFit {
        let a = inventory.architecture ?? ModelArchitecture(source: "none")
        let layers = max(1, a.layers ?? 1)
        let maximum = a.maximumPositions ?? 2048
        let context = settings.contextLength ?? maximum
        var notes: [String] = []
        if a.modelClass != .decoder {
            notes.append("warning: \(settings.kind.rawValue) serves decoder LMs; this model is planned as \(a.modelClass.displayName)")
        }
        if context > maximum {
            notes.append("warning: a context of \(context) is longer than the model's \(maximum)")
        }
        let gpus: [(name: String, memory: ByteCount)] = machine.gpus.isEmpty
            ? catalog.filter { !$0.isUnifiedMemory }.map { ($0.name, $0.memory) }
            : machine.gpus.map { ($0.name, $0.free) }
        let computeBytes = Double(model.options.precision?.computeBytes ?? MemoryModel.storedComputeBytes(inventory))
        // vLLM's `auto` is the model's dtype; llama.cpp's default is f16.
        let kvType = settings.kvCache ?? (settings.kind == .vllm && computeBytes == 4 ? .f32 : .f16)
        let kvWidth = Double(a.effectiveKeyValueHeads * a.effectiveHeadDimension)
        let kvPerLayerToken = 2 * kvWidth * kvType.bytesPerElement
        let overhead = model.options.effectiveRuntimeOverhead
        switch settings.kind {
        case .vllm:
            let weights = ByteCount(MemoryModel.inferenceWeights(inventory, precision: model.options.precision))
            let block = LanguageModelActivations.block(a, bytes: computeBytes, options: model.options)
            let tokens = Double(settings.batchedTokens)
            let sampler = Double(settings.maxSequences) * Double(a.vocabularySize ?? 0) * 8
            let activations = ByteCount(Int64(bytes: tokens * block.inferencePeak(context: tokens) + sampler))
            let graphs = ByteCount.mebibytes(512)
            let kvPerToken = Double(layers) * kvPerLayerToken
            let targets = gpus.map { gpu -> Target in
                let budget = gpu.memory * settings.gpuMemoryUtilization
                let left = (budget - weights - activations - overhead - graphs).doubleValue
                let capacity = kvPerToken > 0 ? max(0, left / kvPerToken) : 0
                let largest = min(maximum, Int64(bytes: capacity.rounded(.down)) / contextStep * contextStep)
                let concurrent = context > 0 ? min(settings.maxSequences, Int64(bytes: (capacity / Double(context)).rounded(.down))) : 0
                return Target(gpuName: gpu.name, memory: gpu.memory, budget: budget, weights: weights, activations: activations,
                              overhead: overhead + graphs, kvPerToken: ByteCount(Int64(bytes: kvPerToken)), largestContext: max(0, largest),
                              fits: capacity >= Double(context), concurrentSequences: concurrent)
            }
            notes.append("vllm: KV cache = \(settings.gpuMemoryUtilization.fixed(2)) × GPU memory − weights − the activation peak of "
                         + "\(settings.batchedTokens) batched tokens and a sampler for \(settings.maxSequences) sequences − CUDA context and graphs (512 MiB); "
                         + "KV \(kvType.rawValue)")
            return EngineFit(settings: settings, context: context, gpuLayers: nil, totalLayers: layers, targets: targets, notes: notes)
        case .llamaCpp:
            let onGPU = min(layers, max(0, settings.gpuLayers ?? layers))
            let weights = ByteCount(llamaCppWeights(inventory, layers: layers, onGPU: onGPU, offloadExperts: settings.offloadExperts))
            let h = Double(a.hiddenSize ?? 0), inner = Double(a.effectiveIntermediateSize), vocabulary = Double(a.vocabularySize ?? 0)
            // The compute buffer with flash attention: one micro-batch's hidden, MLP and output tensors in fp32.
            let compute = ByteCount(Int64(bytes: Double(settings.microBatch) * (4 * h + 2 * inner + vocabulary) * 4))
            let kvPerToken = Double(onGPU) * kvPerLayerToken
            let targets = gpus.map { gpu -> Target in
                let budget = MemoryBudget(free: gpu.memory, level: level).usable
                let left = (budget - weights - compute - overhead).doubleValue
                let capacity = kvPerToken > 0 ? max(0, left / kvPerToken) : (left >= 0 ? Double(maximum) : 0)
                let largest = min(maximum, Int64(bytes: capacity.rounded(.down)) / contextStep * contextStep)
                return Target(gpuName: gpu.name, memory: gpu.memory, budget: budget, weights: weights, activations: compute,
                              overhead: overhead, kvPerToken: ByteCount(Int64(bytes: kvPerToken)), largestContext: max(0, largest),
                              fits: left >= 0 && capacity >= Double(context), concurrentSequences: nil)
            }
            notes.append("llama.cpp: \(onGPU) of \(layers) layers on the GPU\(settings.offloadExperts ? ", expert tensors in host RAM" : ""), "
                         + "KV \(kvType.rawValue), flash attention, micro-batch \(settings.microBatch); the budget is free memory × the \(level.rawValue) level's margin")
            if (kvType == .q8_0 || kvType == .q4_0) {
                notes.append("llama.cpp quantizes the V cache only with flash attention on (-fa on)")
            }
            return EngineFit(settings: settings, context: context, gpuLayers: onGPU, totalLayers: layers, targets: targets, notes: notes)
        }
    }

    /// Bytes of weights llama.cpp puts on the GPU: the last `onGPU` numbered layers, and the output
    /// head and final norm when every layer is there; the token embeddings stay in host RAM, and so do
    /// expert tensors (`*_exps`) with `offloadExperts`.
    static func llamaCppWeights(_ inventory: ModelInventory, layers: Int64, onGPU: Int64, offloadExperts: Bool) -> Int64 {
        let first = Int(layers - onGPU)
        return inventory.tensors.reduce(0) { total, tensor in
            if offloadExperts, tensor.name.contains("_exps") { return total }
            if let index = tensor.layerIndex {
                return index >= first ? total.addingSaturating(tensor.byteCount) : total
            }
            let head = tensor.name.hasPrefix("output") || tensor.name.hasPrefix("lm_head") || tensor.name.contains("norm")
            return onGPU == layers && head ? total.addingSaturating(tensor.byteCount) : total
        }
    }
}
