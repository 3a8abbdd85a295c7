import HeadroomProbe

/// The memory a plan may use on one machine: free memory per GPU and available host RAM.
public struct MachineResources: Sendable, Hashable {
    /// A GPU's index, name and free memory.
    public struct GPU: Sendable, Hashable {
        public var index: Int
        public var name: String
        public var free: ByteCount

        public init(index: Int, name: String, free: ByteCount) {
            self.index = index
            self.name = name
            self.free = free
        }
    }

    public var gpus: [GPU]
    public var hostAvailable: ByteCount
    public var containerAvailable: ByteCount?

    public init(gpus: [GPU], hostAvailable: ByteCount, containerAvailable: ByteCount? = nil) {
        self.gpus = gpus
        self.hostAvailable = hostAvailable
        self.containerAvailable = containerAvailable
    }

    /// The GPUs with readable memory and the host and container RAM of `snapshot`.
    /// A unified-memory GPU's budget is the host's available memory.
    public init(snapshot: MemorySnapshot) {
        gpus = snapshot.gpus.devices.compactMap { device in
            let free = device.isUnifiedMemory ? snapshot.effectiveAvailable : device.memory?.free
            return free.map { GPU(index: device.index, name: device.name ?? "GPU \(device.index)", free: $0) }
        }
        hostAvailable = snapshot.host.available
        containerAvailable = snapshot.container?.available
    }

    /// Host RAM a workload can take now: the lower of host and container available.
    public var effectiveHostAvailable: ByteCount {
        guard let containerAvailable else { return hostAvailable }
        return min(hostAvailable, containerAvailable)
    }
}

extension MachineResources {
    /// Reads only what a plan needs: host RAM, the cgroup's limit and the GPUs
    /// (no process tree, no pressure), so that planning stays a few milliseconds.
    /// - Parameter includeGPUs: ask the GPU backend; `false` when the GPU is given by hand.
    /// - Throws: ``ProbeError`` when host memory cannot be read.
    public static func probe(root: SystemRoot = .live, gpuBackend: any GPUBackend = NVMLBackend(),
                             includeGPUs: Bool = true) throws(ProbeError) -> MachineResources {
        let host = try HostMemory.read(root: root)
        let cgroup = ContainerMemory.read(root: root)
        let container = cgroup?.limit == nil ? nil : cgroup
        let snapshot = MemorySnapshot(host: host, cgroup: container, pressure: nil, cpu: CPUInfo(logical: 1, physical: nil, allowed: nil, quota: nil),
                                      process: nil, gpus: includeGPUs ? gpuBackend.inventory() : GPUInventory(backend: "none", isAvailable: false))
        return MachineResources(snapshot: snapshot)
    }
}
