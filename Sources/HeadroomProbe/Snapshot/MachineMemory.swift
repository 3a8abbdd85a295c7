/// Host memory, the memory cgroup and host-wide pressure at one moment.
public struct MachineMemory: Sendable, Hashable {
    public var host: HostMemory
    /// The memory cgroup, limited or not; `nil` where none is mounted.
    public var cgroup: ContainerMemory?
    /// Host-wide memory pressure; `nil` where the kernel has no PSI.
    public var pressure: MemoryPressure?

    public init(host: HostMemory, cgroup: ContainerMemory?, pressure: MemoryPressure?) {
        self.host = host
        self.cgroup = cgroup
        self.pressure = pressure
    }

    /// The cgroup when it sets a limit: the container the process is confined to.
    public var container: ContainerMemory? {
        cgroup?.limit == nil ? nil : cgroup
    }

    /// The lower of host and container memory, and which one it is.
    public var effective: EffectiveMemory {
        EffectiveMemory(hostTotal: host.total, hostAvailable: host.available,
                        containerLimit: container?.limit, containerAvailable: container?.available)
    }
}
