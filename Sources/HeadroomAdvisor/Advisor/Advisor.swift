/// Turns a snapshot of the machine into settings a workload can run with.
public struct Advisor: Sendable {
    public var level: OptimizationLevel

    public init(level: OptimizationLevel = .balanced) {
        self.level = level
    }

    /// Recommendations for `snapshot`.
    ///
    /// - GPU: the limit is free memory × margin and the fraction is that limit
    ///   over the GPU's total (reserved memory included, as frameworks count it).
    ///   A unified-memory GPU gets the host cap. With `CUDA_VISIBLE_DEVICES` set,
    ///   only the devices the job gets, a MIG device with its slice's memory
    ///   (``GPUInventory/selection``).
    /// - Host: the cap is the effective available memory (the lower of host
    ///   available and the container's limit minus its use) × margin.
    /// - Threads: the effective CPUs (affinity and cgroup quota applied); the
    ///   conservative level leaves one for the system on machines with four or more.
    public func recommend(for snapshot: MemorySnapshot) -> Recommendations {
        let effective = snapshot.effective
        let hostCap = MemoryBudget(free: effective.available, level: level).usable
        let selection = snapshot.gpus.selection
        let gpus: [GPURecommendation]
        if selection.isRestricted {
            // CUDA_VISIBLE_DEVICES is set: the devices the job gets, a MIG device with its slice's memory.
            gpus = selection.devices.compactMap { device in
                var gpu = recommendation(index: device.gpuIndex, name: device.name, memory: device.memory,
                                         isUnifiedMemory: device.isUnifiedMemory, effective: effective)
                gpu?.cudaDevice = device.cudaDevice
                gpu?.migDeviceUUID = device.migDevice?.uuid
                return gpu
            }
        } else {
            gpus = snapshot.gpus.devices.compactMap { device in
                recommendation(index: device.index, name: device.name, memory: device.memory,
                               isUnifiedMemory: device.isUnifiedMemory, effective: effective)
            }
        }
        let cpus = snapshot.cpu.effective
        let threads = level == .conservative && cpus >= 4 ? cpus - 1 : cpus
        return Recommendations(level: level, safetyMargin: level.safetyMargin, gpus: gpus, hostMemoryCap: hostCap,
                               threads: threads, warnings: warnings(for: snapshot))
    }

    /// One device's limit: free memory × margin, and that limit over the total.
    private func recommendation(index: Int, name: String?, memory: GPUMemory?, isUnifiedMemory: Bool,
                                effective: EffectiveMemory) -> GPURecommendation? {
        let free: ByteCount
        let total: ByteCount
        if let memory {
            (free, total) = (memory.free, memory.total)
        } else if isUnifiedMemory {
            (free, total) = (effective.available, effective.limit)
        } else {
            return nil
        }
        let limit = MemoryBudget(free: free, level: level).usable
        return GPURecommendation(index: index, name: name, free: free, total: total,
                                 memoryLimit: limit, memoryFraction: limit.fraction(of: total),
                                 isUnifiedMemory: isUnifiedMemory)
    }
}
