/// The memory of the cgroup a process runs in: its limit, use, peak and OOM kills.
///
/// Inside a container this is the figure that matters: `/proc/meminfo` shows
/// the host's memory, but the kernel kills the container at its cgroup limit.
public struct ContainerMemory: Sendable, Hashable, Codable {
    public var version: CgroupHierarchy.Version
    /// The cgroup's path, such as `/docker/3f2a…`.
    public var cgroupPath: String
    /// The lowest memory limit on the cgroup or any ancestor; `nil` when none is set.
    public var limit: ByteCount?
    /// The cgroup directory whose limit is ``limit``.
    public var limitSource: String?
    /// The throttling threshold (`memory.high` in v2, the soft limit in v1), where set.
    public var high: ByteCount?
    /// Memory charged to the cgroup minus inactive file cache: the working set
    /// that Docker and Kubernetes report and that counts toward an OOM kill.
    public var usage: ByteCount?
    /// Everything charged to the cgroup, page cache included (`memory.current`, v1 `memory.usage_in_bytes`).
    public var charged: ByteCount?
    /// Inactive file cache, which the kernel reclaims before it kills.
    public var inactiveFile: ByteCount?
    /// The highest charge seen (`memory.peak`, v1 `memory.max_usage_in_bytes`), where the kernel keeps it.
    public var peak: ByteCount?
    /// Processes killed by the OOM killer in this cgroup, where the kernel counts them.
    public var oomKills: Int64?
    /// Times the cgroup hit its limit (`oom` in `memory.events`, v1 `memory.failcnt`).
    public var limitHits: Int64?
    /// Pressure stall information of this cgroup (v2 only).
    public var pressure: MemoryPressure?

    /// `limit − usage`, where both are known.
    public private(set) var available: ByteCount?

    public init(version: CgroupHierarchy.Version, cgroupPath: String, limit: ByteCount?, limitSource: String?,
                high: ByteCount?, usage: ByteCount?, charged: ByteCount?, inactiveFile: ByteCount?, peak: ByteCount?,
                oomKills: Int64?, limitHits: Int64?, pressure: MemoryPressure?) {
        self.version = version
        self.cgroupPath = cgroupPath
        self.limit = limit
        self.limitSource = limitSource
        self.high = high
        self.usage = usage
        self.charged = charged
        self.inactiveFile = inactiveFile
        self.peak = peak
        self.oomKills = oomKills
        self.limitHits = limitHits
        self.pressure = pressure
        if let limit, let usage { available = (limit - usage).clampedToZero }
    }

    enum CodingKeys: String, CodingKey {
        case version, cgroupPath, limit = "limitBytes", limitSource, high = "highBytes", usage = "usageBytes",
             charged = "chargedBytes", inactiveFile = "inactiveFileBytes", peak = "peakBytes", oomKills, limitHits,
             pressure, available = "availableBytes"
    }

    /// Limits at or above this many bytes mean "no limit": cgroup v1 writes
    /// PAGE_COUNTER_MAX × page size, which differs by page size
    /// (9223372036854771712 with 4 KiB pages), so a threshold is used rather than one value.
    public static let unlimitedThreshold = ByteCount(1 << 60)

    /// Parses a limit file's value: `max`, a v1 sentinel, `-1` or nonsense are all "no limit".
    static func parseLimit(_ text: String?) -> ByteCount? {
        guard let text, text != "max", let value = UInt64(text) else { return nil }
        let bytes = ByteCount(clamping: value)
        return bytes >= unlimitedThreshold ? nil : bytes
    }
}
