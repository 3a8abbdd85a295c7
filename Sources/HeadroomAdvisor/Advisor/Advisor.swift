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
    ///   A unified-memory GPU gets the host cap.
    /// - Host: the cap is the effective available memory (the lower of host
    ///   available and the container's limit minus its use) × margin.
    /// - Threads: the effective CPUs (affinity and cgroup quota applied); the
    ///   conservative level leaves one for the system on machines with four or more.
    public func recommend(for snapshot: MemorySnapshot) -> Recommendations {
        let effective = snapshot.effective
        let hostCap = MemoryBudget(free: effective.available, level: level).usable
        let gpus = snapshot.gpus.devices.compactMap { device -> GPURecommendation? in
            let free: ByteCount
            let total: ByteCount
            if let memory = device.memory {
                (free, total) = (memory.free, memory.total)
            } else if device.isUnifiedMemory {
                (free, total) = (effective.available, effective.limit)
            } else {
                return nil
            }
            let limit = MemoryBudget(free: free, level: level).usable
            return GPURecommendation(index: device.index, name: device.name, free: free, total: total,
                                     memoryLimit: limit, memoryFraction: limit.fraction(of: total),
                                     isUnifiedMemory: device.isUnifiedMemory)
        }
        let cpus = snapshot.cpu.effective
        let threads = level == .conservative && cpus >= 4 ? cpus - 1 : cpus
        return Recommendations(level: level, safetyMargin: level.safetyMargin, gpus: gpus, hostMemoryCap: hostCap,
                               threads: threads, warnings: warnings(for: snapshot))
    }
}
