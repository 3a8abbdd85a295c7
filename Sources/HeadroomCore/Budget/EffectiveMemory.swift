/// The memory a workload really has: the lower of the host's and the container's, with which one it is.
///
/// Host RAM is what `free`, psutil and `/proc/meminfo` show; a memory cgroup
/// (a container, a Kubernetes pod, a Slurm job) can set a lower limit, and the
/// kernel kills the workload at that limit whatever the host has. This is the
/// one place that takes the lower of the two.
public struct EffectiveMemory: Sendable, Hashable, Codable {
    /// Which side a figure comes from.
    public enum Source: String, Sendable, Hashable, Codable {
        case host, container
    }

    /// Host RAM (`MemTotal`).
    public var hostTotal: ByteCount
    /// Host RAM a new workload can take (`MemAvailable`).
    public var hostAvailable: ByteCount
    /// The container's limit, where a cgroup sets one.
    public var containerLimit: ByteCount?
    /// The container's headroom (limit minus use), where a cgroup sets a limit.
    public var containerAvailable: ByteCount?

    public init(hostTotal: ByteCount, hostAvailable: ByteCount, containerLimit: ByteCount? = nil,
                containerAvailable: ByteCount? = nil) {
        self.hostTotal = hostTotal
        self.hostAvailable = hostAvailable
        self.containerLimit = containerLimit
        self.containerAvailable = containerAvailable
    }

    /// The memory the workload may have in all: the lower of host RAM and the container's limit.
    public var limit: ByteCount { Self.lower(hostTotal, containerLimit).value }
    /// Where ``limit`` comes from.
    public var limitSource: Source { Self.lower(hostTotal, containerLimit).source }
    /// The memory the workload can take now: the lower of host available and the container's headroom.
    public var available: ByteCount { Self.lower(hostAvailable, containerAvailable).value }
    /// Where ``available`` comes from.
    public var availableSource: Source { Self.lower(hostAvailable, containerAvailable).source }

    /// Why the figures are what they are, in words.
    public var reason: String {
        switch (limitSource, availableSource) {
        case (.container, _):
            "the container's limit (\(limit)) is below host RAM (\(hostTotal))"
        case (.host, .container):
            "the container's headroom (\(available)) is below host available (\(hostAvailable))"
        case (.host, .host):
            containerLimit == nil ? "no container limit: the host's memory is the limit" : "the host is lower than the container's limit"
        }
    }

    private static func lower(_ host: ByteCount, _ container: ByteCount?) -> (value: ByteCount, source: Source) {
        guard let container, container < host else { return (host, .host) }
        return (container, .container)
    }

    enum CodingKeys: String, CodingKey {
        case hostTotal = "hostTotalBytes", hostAvailable = "hostAvailableBytes"
        case containerLimit = "containerLimitBytes", containerAvailable = "containerAvailableBytes"
    }
}
