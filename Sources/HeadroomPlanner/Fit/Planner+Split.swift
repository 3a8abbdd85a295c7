extension Planner {
    /// Layers on the GPU with the most free memory, the rest in host RAM, when batch 1 does not fit that GPU.
    ///
    /// Tensors outside numbered blocks (embeddings, final norm, output head)
    /// stay on the GPU; each block costs its share of the weights and of the
    /// per-item memory at batch 1. The host side is checked against the lower of
    /// host and container available RAM × the level's margin.
    func layerSplit(machine: MachineResources, notes: inout [String]) -> LayerSplit? {
        guard let gpu = machine.gpus.max(by: { $0.free < $1.free }) else {
            notes.append("no GPU on this machine: give --gpu-memory SIZE to plan a GPU + host-RAM split")
            return nil
        }
        let budget = MemoryBudget(free: gpu.free, level: level).usable
        guard model.largestBatch(within: budget) == 0 else { return nil }
        guard !model.options.training else {
            notes.append("training does not fit \(gpu.name); a host-RAM split is planned for inference only")
            return nil
        }
        let (byLayer, other) = inventory.bytesByLayer
        let layers = Int64(byLayer.count > 0 ? byLayer.count : Int(inventory.architecture?.layers ?? 0))
        guard layers > 0 else {
            notes.append("the weights do not fit \(gpu.name) and the model has no numbered layers to split")
            return nil
        }
        let one = model.estimate(batch: 1)
        let weights = one.part(.weights).doubleValue
        // Re-cast weights scale every tensor alike.
        let scale = inventory.weightBytes > 0 ? weights / Double(inventory.weightBytes) : 1
        let layerWeights = byLayer.isEmpty ? weights / Double(layers) : Double(byLayer.values.reduce(0, +)) * scale / Double(layers)
        let otherWeights = byLayer.isEmpty ? 0 : Double(other) * scale
        let kv = one.part(.kvCache).doubleValue
        let workspace = (one.part(.activations) + one.part(.perItem) + one.part(.logits) + one.part(.inputs)).doubleValue
        let reserve = 1 + model.options.effectiveAllocatorReserve
        let overhead = model.options.effectiveRuntimeOverhead.doubleValue
        func gpuBytes(_ k: Int64) -> Double {
            (otherWeights + Double(k) * (layerWeights + kv / Double(layers)) + workspace) * reserve + overhead
        }
        var onGPU: Int64 = 0
        while onGPU < layers, gpuBytes(onGPU + 1) <= budget.doubleValue { onGPU += 1 }
        let inHost = layers - onGPU
        let hostBytes = ByteCount(Int64(min(9e18, (Double(inHost) * (layerWeights + kv / Double(layers))).rounded(.up))))
        let hostBudget = MemoryBudget(free: machine.memory.available, level: level).usable
        let gpuUse = ByteCount(Int64(min(9e18, gpuBytes(onGPU).rounded(.up))))
        let fitsGPU = gpuUse <= budget
        let fitsHost = hostBytes <= hostBudget && fitsGPU
        var summary = "\(onGPU) of \(layers) layers on \(gpu.name) (\(gpuUse) of \(budget)), \(inHost) in host RAM (\(hostBytes) of \(hostBudget) available at \(level.rawValue))"
        if !fitsGPU {
            summary = "even with every layer in host RAM, the embeddings, head and workspace (\(gpuUse)) exceed \(gpu.name)'s \(budget)"
        } else if !fitsHost {
            summary += machine.containerAvailable.map { " — does not fit: host RAM is short (container headroom \($0))" } ?? " — does not fit: host RAM is short"
        }
        return LayerSplit(gpuName: gpu.name, gpuBudget: budget, totalLayers: layers, layersOnGPU: onGPU, layersInHost: inHost,
                          gpuBytes: gpuUse, hostBytes: hostBytes, hostBudget: hostBudget, fitsHost: fitsHost, summary: summary)
    }
}
