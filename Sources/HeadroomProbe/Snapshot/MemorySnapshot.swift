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
    /// Whether this process sees the host's PIDs; `nil` where it was not looked at.
    public var pidNamespace: PIDNamespace?
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

    /// Host memory, the cgroup and pressure.
    public var memory: MachineMemory { MachineMemory(host: host, cgroup: cgroup, pressure: pressure) }

    /// The cgroup when it sets a limit: the container the process is confined to.
    public var container: ContainerMemory? { memory.container }

    /// The lower of host and container memory, and which one it is.
    public var effective: EffectiveMemory { memory.effective }

    /// The memory this machine lets a workload have in all: ``effective``'s limit.
    public var effectiveLimit: ByteCount { effective.limit }

    /// Memory a new workload can take now: ``effective``'s available.
    public var effectiveAvailable: ByteCount { effective.available }
}
