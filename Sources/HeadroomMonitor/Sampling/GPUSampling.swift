/// GPU figures for a sample, with per-process memory matched to the tree.
enum GPUSampling {
    /// The GPUs of `inventory`, their processes matched to the tree by `attributor`
    /// (by PID, or through device files in another PID namespace), each tree process's
    /// share added to its ``ProcessSample/gpuMemory``.
    static func gpus(_ inventory: GPUInventory, tree processes: inout [ProcessSample],
                     attributor: GPUAttributor) -> [GPUSample] {
        guard inventory.isAvailable else { return [] }
        var devices = inventory.devices
        let byPID = attributor.attribute(&devices, tree: processes.map(\.pid))
        for index in processes.indices {
            if let used = byPID[processes[index].pid] {
                processes[index].gpuMemory = (processes[index].gpuMemory ?? .zero) + used
            }
        }
        return devices.compactMap { device in
            guard let memory = device.memory else { return nil }
            let treeUsed = (device.processes ?? []).reduce(ByteCount.zero) { sum, process in
                process.matchedPID == nil ? sum : sum + (process.usedMemory ?? .zero)
            }
            var sample = GPUSample(index: device.index, name: device.name, total: memory.total,
                                   used: memory.used, treeUsed: treeUsed,
                                   utilizationPercent: device.utilization?.gpuPercent)
            sample.unattributed = device.unattributed
            sample.attribution = device.attribution
            return sample
        }
    }
}
