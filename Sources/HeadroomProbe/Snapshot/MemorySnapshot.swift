/// Everything Headroom knows about the machine at one moment: host, container,
/// pressure, CPUs, one process tree and the GPUs.
public struct MemorySnapshot: Sendable, Hashable {
    public var host: HostMemory
    /// The memory cgroup, limited or not; `nil` where none is mounted.
    public var cgroup: ContainerMemory?
    /// Host-wide memory pressure; `nil` where the kernel has no PSI.
    public var pressure: MemoryPressure?
    public var cpu: CPUInfo
    /// The process tree the snapshot was taken for; `nil` if it could not be read.
    public var process: ProcessTreeMemory?
    public var gpus: GPUInventory
    /// Readings that failed, each naming its file.
    public var problems: [ProbeError]

    public init(host: HostMemory, cgroup: ContainerMemory?, pressure: MemoryPressure?, cpu: CPUInfo,
                process: ProcessTreeMemory?, gpus: GPUInventory, problems: [ProbeError] = []) {
        self.host = host
        self.cgroup = cgroup
        self.pressure = pressure
        self.cpu = cpu
        self.process = process
        self.gpus = gpus
        self.problems = problems
    }

    /// The cgroup when it sets a limit: the container the process is confined to.
    public var container: ContainerMemory? {
        cgroup?.limit == nil ? nil : cgroup
    }

    /// The memory this machine lets a workload have in all: the lower of host RAM and the container limit.
    public var effectiveLimit: ByteCount {
        guard let limit = container?.limit else { return host.total }
        return min(limit, host.total)
    }

    /// Memory a new workload can take now: the lower of host available and the container's headroom.
    public var effectiveAvailable: ByteCount {
        guard let available = container?.available else { return host.available }
        return min(available, host.available)
    }
}
