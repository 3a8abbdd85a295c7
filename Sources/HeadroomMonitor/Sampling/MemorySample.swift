/// Host, container, process tree and GPU memory at one moment.
public struct MemorySample: Sendable, Hashable, Codable {
    /// Seconds since the sampler started.
    public var time: Double
    public var hostTotal: ByteCount
    public var hostAvailable: ByteCount
    /// The container's limit, where the cgroup has one.
    public var containerLimit: ByteCount?
    /// The container's usage as Docker counts it (charge minus inactive file cache).
    public var containerUsage: ByteCount?
    /// OOM kills in the container's cgroup so far.
    public var containerOOMKills: Int64?
    /// The share of the last 10 s some task waited for memory (PSI `some avg10`).
    public var pressurePercent: Double?
    /// The tree, root first; empty once the root has exited.
    public var processes: [ProcessSample]
    public var gpus: [GPUSample]

    public init(time: Double, hostTotal: ByteCount, hostAvailable: ByteCount, containerLimit: ByteCount? = nil,
                containerUsage: ByteCount? = nil, containerOOMKills: Int64? = nil, pressurePercent: Double? = nil,
                processes: [ProcessSample] = [], gpus: [GPUSample] = []) {
        self.time = time
        self.hostTotal = hostTotal
        self.hostAvailable = hostAvailable
        self.containerLimit = containerLimit
        self.containerUsage = containerUsage
        self.containerOOMKills = containerOOMKills
        self.pressurePercent = pressurePercent
        self.processes = processes
        self.gpus = gpus
    }

    /// RSS summed over the tree.
    public var treeRSS: ByteCount { processes.reduce(.zero) { $0 + $1.rss } }
    /// PSS summed over the tree, where every process's was read.
    public var treePSS: ByteCount? {
        guard !processes.isEmpty, processes.allSatisfy({ $0.pss != nil }) else { return nil }
        return processes.reduce(.zero) { $0 + ($1.pss ?? .zero) }
    }
    /// The lower of host and container memory, and which one it is.
    public var effective: EffectiveMemory {
        EffectiveMemory(hostTotal: hostTotal, hostAvailable: hostAvailable, containerLimit: containerLimit)
    }
    /// The memory the host or the container (whichever is lower) has in all.
    public var memoryLimit: ByteCount { effective.limit }
    /// Memory in use against ``memoryLimit``.
    public var memoryUsed: ByteCount { containerUsage ?? (hostTotal - hostAvailable) }

    enum CodingKeys: String, CodingKey {
        case time = "timeSeconds", hostTotal = "hostTotalBytes", hostAvailable = "hostAvailableBytes"
        case containerLimit = "containerLimitBytes", containerUsage = "containerUsageBytes"
        case containerOOMKills, pressurePercent, processes, gpus
    }
}

/// One GPU at one moment.
public struct GPUSample: Sendable, Hashable, Codable {
    public var index: Int
    public var name: String?
    public var total: ByteCount
    public var used: ByteCount
    /// GPU memory held by processes of the watched tree.
    public var treeUsed: ByteCount
    public var utilizationPercent: Int?
    /// Memory on the GPU held by processes outside this PID namespace that could not be
    /// matched to the tree, nor ruled out (``GPUAttributor``); `nil` where all was accounted for.
    public var unattributed: ByteCount?
    /// How the GPU's processes were matched where PIDs could not, or why they could not be.
    public var attribution: String?

    public init(index: Int, name: String?, total: ByteCount, used: ByteCount, treeUsed: ByteCount,
                utilizationPercent: Int? = nil) {
        self.index = index
        self.name = name
        self.total = total
        self.used = used
        self.treeUsed = treeUsed
        self.utilizationPercent = utilizationPercent
    }

    enum CodingKeys: String, CodingKey {
        case index, name, total = "totalBytes", used = "usedBytes", treeUsed = "treeUsedBytes", utilizationPercent
        case unattributed = "unattributedBytes", attribution
    }
}
