extension Advisor {
    /// Environment settings for `frameworks`, from `recommendations`.
    ///
    /// - Parameters:
    ///   - gpuIndex: the GPU to configure; by default all of them: the byte limit and
    ///     the fraction are each the lowest of the GPUs', so one set of variables is
    ///     safe on every GPU (`device_id` names the GPU with the least memory to give).
    ///   - gpuShare: a share of the GPU's total memory to use instead of the computed limit.
    public func frameworkSettings(_ frameworks: Set<Framework>, from recommendations: Recommendations,
                                  gpuIndex: Int? = nil, gpuShare: MemoryAmount? = nil) -> FrameworkSettings {
        let candidates = gpuIndex.map { index in recommendations.gpus.filter { $0.index == index } } ?? recommendations.gpus
        let gpu = candidates.min { $0.memoryLimit < $1.memoryLimit }
        // Each GPU's own limit and share of its total; what is printed for all of them is the lowest of
        // each, so one set of variables is safe on every GPU however busy or large each one is.
        let perGPU = candidates.map { candidate -> (limit: ByteCount, fraction: Double) in
            let limit = gpuShare.map { min($0.resolved(against: candidate.total), candidate.total) } ?? candidate.memoryLimit
            return (limit, limit.fraction(of: candidate.total))
        }
        let limit = perGPU.map(\.limit).min()
        let fraction = perGPU.map(\.fraction).min()
        var settings = FrameworkSettings(gpuIndex: gpu?.index, gpuMemoryLimit: limit, gpuMemoryFraction: fraction,
                                         onnxRuntimeCUDAOptions: [], variables: [], notes: [])
        settings.variables.append(EnvironmentSetting(
            name: "OMP_NUM_THREADS", value: String(recommendations.threads), framework: nil,
            comment: "threads for OpenMP and the frameworks' CPU pools, from the effective CPUs"))
        guard let gpu, let limit, let fraction else {
            if let index = gpuIndex {
                settings.notes.append("GPU \(index) was not found or its memory could not be read: GPU settings are left out")
            } else {
                settings.notes.append("no GPU whose memory could be read: GPU settings are left out")
            }
            return settings
        }
        if Set(perGPU.map(\.fraction)).count > 1 {
            settings.notes.append("the GPUs differ: the limit and the fraction are the lowest of the \(perGPU.count) GPUs', "
                + "so they are safe on each; give --gpu N for one GPU's own")
        }
        // Two decimals, rounded down so the printed share never allows more than the limit
        // (the tiny allowance keeps 0.85 from printing as 0.84 when the limit was floored to whole bytes).
        let share = ((fraction * 100 + 1e-6).rounded(.down) / 100).fixed(2)
        if frameworks.contains(.onnxruntime) {
            settings.onnxRuntimeCUDAOptions = [
                .init(key: "device_id", value: String(gpu.frameworkDevice)),
                .init(key: "gpu_mem_limit", value: String(limit.bytes)),
                .init(key: "arena_extend_strategy", value: "kSameAsRequested"),
                .init(key: "cudnn_conv_algo_search", value: "HEURISTIC"),
                .init(key: "do_copy_in_default_stream", value: "1"),
            ]
            let json = "{" + settings.onnxRuntimeCUDAOptions.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "}"
            settings.variables.append(EnvironmentSetting(
                name: "HEADROOM_ORT_CUDA_PROVIDER_OPTIONS", value: json, framework: .onnxruntime,
                comment: "ONNX Runtime has no variable of its own; pass these as the CUDA provider options: providers=[(\"CUDAExecutionProvider\", json.loads(os.environ[\"HEADROOM_ORT_CUDA_PROVIDER_OPTIONS\"])), \"CPUExecutionProvider\"]"))
        }
        if frameworks.contains(.torch) {
            settings.variables.append(EnvironmentSetting(
                name: "PYTORCH_CUDA_ALLOC_CONF", value: torchAllocatorConfiguration, framework: .torch,
                comment: "expandable segments cut fragmentation, the main cause of OOM with memory still free"))
            settings.variables.append(EnvironmentSetting(
                name: "HEADROOM_TORCH_MEMORY_FRACTION", value: share, framework: .torch,
                comment: "PyTorch reads no variable for this; apply it with torch.cuda.set_per_process_memory_fraction(float(os.environ[\"HEADROOM_TORCH_MEMORY_FRACTION\"]), \(gpu.frameworkDevice))"))
        }
        if frameworks.contains(.tensorflow) {
            settings.variables.append(EnvironmentSetting(
                name: "TF_FORCE_GPU_ALLOW_GROWTH", value: "true", framework: .tensorflow,
                comment: "allocate on demand instead of taking the whole GPU at start"))
            settings.variables.append(EnvironmentSetting(
                name: "HEADROOM_TF_MEMORY_LIMIT_MB", value: String(limit.bytes >> 20), framework: .tensorflow,
                comment: "apply with tf.config.set_logical_device_configuration(gpu, [tf.config.LogicalDeviceConfiguration(memory_limit=int(os.environ[\"HEADROOM_TF_MEMORY_LIMIT_MB\"]))])"))
        }
        if frameworks.contains(.jax) {
            settings.variables.append(EnvironmentSetting(
                name: "XLA_PYTHON_CLIENT_MEM_FRACTION", value: share, framework: .jax,
                comment: "JAX preallocates this share of each GPU's memory (default 0.75)"))
        }
        return settings
    }

    /// `PYTORCH_CUDA_ALLOC_CONF` for the level: expandable segments always; the
    /// cautious levels also reclaim cached blocks once use passes the margin.
    var torchAllocatorConfiguration: String {
        switch level {
        case .conservative, .balanced:
            "expandable_segments:True,garbage_collection_threshold:\(level.safetyMargin.fixed(2))"
        case .aggressive, .extreme:
            "expandable_segments:True"
        }
    }
}
