/// One process's memory: resident set, its peak, swap and proportional share.
public struct ProcessMemory: Sendable, Hashable, Codable {
    public var pid: Int32
    public var parentPID: Int32?
    /// The command name the kernel keeps (`comm`, at most 15 characters).
    public var name: String
    /// Resident set size (`VmRSS`): pages in RAM, shared ones counted in full.
    public var rss: ByteCount
    /// The highest RSS the process reached (`VmHWM`).
    public var peakRSS: ByteCount
    /// Memory of the process swapped out (`VmSwap`).
    public var swap: ByteCount
    /// Proportional set size from `smaps_rollup`: shared pages divided among
    /// their sharers, so a tree's PSS adds up without double counting. `nil`
    /// where the file is unreadable (another user's process, older kernels).
    public var pss: ByteCount?
    /// GPU memory NVML attributes to the process, summed over GPUs (``GPUAttributor``);
    /// `nil` where none was attributed.
    public var gpuMemory: ByteCount?
    /// The Kubernetes pod UID, container ID or Slurm job from the process's cgroup path.
    public var workload: WorkloadIdentity?
    /// The pod's namespace and name and the container's name, where a names file gave them.
    public var workloadName: WorkloadName?

    enum CodingKeys: String, CodingKey {
        case pid, parentPID, name, rss = "rssBytes", peakRSS = "peakRSSBytes", swap = "swapBytes", pss = "pssBytes"
        case gpuMemory = "gpuMemoryBytes", podUID, containerID, slurmJob, pod, namespace, container
    }
}

extension ProcessMemory {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pid = try c.decode(Int32.self, forKey: .pid)
        parentPID = try c.decodeIfPresent(Int32.self, forKey: .parentPID)
        name = try c.decode(String.self, forKey: .name)
        rss = try c.decode(ByteCount.self, forKey: .rss)
        peakRSS = try c.decode(ByteCount.self, forKey: .peakRSS)
        swap = try c.decode(ByteCount.self, forKey: .swap)
        pss = try c.decodeIfPresent(ByteCount.self, forKey: .pss)
        gpuMemory = try c.decodeIfPresent(ByteCount.self, forKey: .gpuMemory)
        let identity = WorkloadIdentity(podUID: try c.decodeIfPresent(String.self, forKey: .podUID),
                                        containerID: try c.decodeIfPresent(String.self, forKey: .containerID),
                                        slurmJob: try c.decodeIfPresent(String.self, forKey: .slurmJob))
        workload = identity.isEmpty ? nil : identity
        let name = WorkloadName(namespace: try c.decodeIfPresent(String.self, forKey: .namespace),
                                pod: try c.decodeIfPresent(String.self, forKey: .pod),
                                container: try c.decodeIfPresent(String.self, forKey: .container))
        workloadName = name == WorkloadName() ? nil : name
    }

    /// The keys of the diagnose JSON; the workload's fields sit beside the others, where known.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pid, forKey: .pid)
        try c.encodeIfPresent(parentPID, forKey: .parentPID)
        try c.encode(name, forKey: .name)
        try c.encode(rss, forKey: .rss)
        try c.encode(peakRSS, forKey: .peakRSS)
        try c.encode(swap, forKey: .swap)
        try c.encodeIfPresent(pss, forKey: .pss)
        try c.encodeIfPresent(gpuMemory, forKey: .gpuMemory)
        try c.encodeIfPresent(workload?.podUID, forKey: .podUID)
        try c.encodeIfPresent(workload?.containerID, forKey: .containerID)
        try c.encodeIfPresent(workload?.slurmJob, forKey: .slurmJob)
        try c.encodeIfPresent(workloadName?.namespace, forKey: .namespace)
        try c.encodeIfPresent(workloadName?.pod, forKey: .pod)
        try c.encodeIfPresent(workloadName?.container, forKey: .container)
    }
}

/// A process and all its descendants, with totals.
public struct ProcessTreeMemory: Sendable, Hashable, Codable {
    /// The process the tree starts from.
    public var root: ProcessMemory
    /// The root and every descendant, root first, in breadth-first order.
    public var processes: [ProcessMemory]
    /// Sum of RSS over the tree (shared pages counted once per process).
    public private(set) var totalRSS: ByteCount
    /// Sum of PSS over the processes where it was readable.
    public private(set) var totalPSS: ByteCount?

    public init(root: ProcessMemory, processes: [ProcessMemory]) {
        self.root = root
        self.processes = processes
        totalRSS = processes.reduce(.zero) { $0 + $1.rss }
        let known = processes.compactMap(\.pss)
        totalPSS = known.isEmpty ? nil : known.reduce(.zero, +)
    }

    enum CodingKeys: String, CodingKey {
        case root, processes, totalRSS = "totalRSSBytes", totalPSS = "totalPSSBytes"
    }
}
