/// GPU figures for a sample, with per-process memory matched to the tree.
enum GPUSampling {
    static func gpus(_ inventory: GPUInventory, tree processes: inout [ProcessSample]) -> [GPUSample] {
        guard inventory.isAvailable else { return [] }
        let index = Dictionary(processes.indices.map { (processes[$0].pid, $0) }, uniquingKeysWith: { first, _ in first })
        return inventory.devices.compactMap { device in
            guard let memory = device.memory else { return nil }
            var treeUsed = ByteCount.zero
            for process in device.processes ?? [] {
                guard let position = index[process.pid], let used = process.usedMemory else { continue }
                treeUsed = treeUsed + used
                processes[position].gpuMemory = (processes[position].gpuMemory ?? .zero) + used
            }
            return GPUSample(index: device.index, name: device.name, total: memory.total,
                             used: memory.used, treeUsed: treeUsed,
                             utilizationPercent: device.utilization?.gpuPercent)
        }
    }
}
