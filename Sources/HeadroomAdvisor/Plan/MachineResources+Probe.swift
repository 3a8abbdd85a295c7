extension MachineResources {
    /// The GPUs with readable memory and the host and container RAM of `memory` and `gpus`.
    /// A unified-memory GPU's free memory is the host's effective available memory.
    /// With `CUDA_VISIBLE_DEVICES` set, only the devices a job gets: a MIG device
    /// with its slice's memory (``GPUInventory/selection``).
    public init(memory: MachineMemory, gpus inventory: GPUInventory) {
        let effective = memory.effective
        let selection = inventory.selection
        let devices = selection.isRestricted ? selection.devices : inventory.devices.map { VisibleGPU(cudaDevice: $0.index, gpu: $0) }
        let gpus = devices.compactMap { device -> GPU? in
            let free = device.isUnifiedMemory ? effective.available : device.memory?.free
            return free.map { GPU(index: device.gpuIndex, name: device.name ?? "GPU \(device.gpuIndex)", free: $0) }
        }
        self.init(gpus: gpus, memory: effective)
    }

    /// Reads only what a plan needs: host RAM, the cgroup and the GPUs (no
    /// process tree, no CPUs), so that planning stays a few milliseconds.
    /// - Parameter gpuMemory: plan for one GPU with this much free memory instead
    ///   of asking the GPU backend (`headroom plan --gpu-memory`).
    /// - Throws: ``ProbeError`` when host memory cannot be read.
    public static func probe(root: SystemRoot = .live, gpuBackend: any GPUBackend = NVMLBackend(),
                             gpuMemory: ByteCount? = nil) throws(ProbeError) -> MachineResources {
        let memory = try MachineReader(root: root).memory()
        guard let gpuMemory else { return MachineResources(memory: memory, gpus: gpuBackend.inventory()) }
        return MachineResources(gpus: [GPU(index: 0, name: "GPU of \(gpuMemory)", free: gpuMemory)], memory: memory.effective)
    }
}
