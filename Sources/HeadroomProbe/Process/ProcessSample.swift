/// One process of the watched tree at one moment.
public struct ProcessSample: Sendable, Hashable, Codable, CarriesWorkload {
    public var pid: Int32
    /// The process it was found under; `nil` for the root.
    public var parentPID: Int32?
    public var name: String
    public var rss: ByteCount
    /// Proportional set size, where it was asked for and readable.
    public var pss: ByteCount?
    /// GPU memory NVML attributes to the process, summed over GPUs.
    public var gpuMemory: ByteCount?
    /// The highest RSS the process has reached (`VmHWM`), where it was read (the tree's root):
    /// it holds peaks that came and went between two samples.
    public var peakRSS: ByteCount?
    /// The Kubernetes pod's UID, from the process's cgroup path (``WorkloadIdentity``).
    public var podUID: String?
    /// The container's ID, from the process's cgroup path.
    public var containerID: String?
    /// The Slurm job's ID, from the process's cgroup path.
    public var slurmJob: String?

    public init(pid: Int32, parentPID: Int32?, name: String, rss: ByteCount, pss: ByteCount? = nil,
                gpuMemory: ByteCount? = nil) {
        self.pid = pid
        self.parentPID = parentPID
        self.name = name
        self.rss = rss
        self.pss = pss
        self.gpuMemory = gpuMemory
    }

    enum CodingKeys: String, CodingKey {
        case pid, parentPID, name, rss = "rssBytes", pss = "pssBytes", gpuMemory = "gpuMemoryBytes", peakRSS = "peakRSSBytes"
        case podUID, containerID, slurmJob
    }
}
