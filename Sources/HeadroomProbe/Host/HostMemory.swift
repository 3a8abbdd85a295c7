/// The host's memory as the kernel reports it in `/proc/meminfo`.
public struct HostMemory: Sendable, Hashable, Codable {
    /// Physical memory the kernel manages (`MemTotal`).
    public var total: ByteCount
    /// Memory a new workload can get without swapping (`MemAvailable`, or an estimate).
    public var available: ByteCount
    /// `total − available`, as psutil and `free` count it.
    public private(set) var used: ByteCount
    /// Memory not used at all (`MemFree`); much lower than `available` on a busy host.
    public var free: ByteCount
    /// Page cache and reclaimable slab (`Cached + SReclaimable`).
    public var cached: ByteCount
    public var swapTotal: ByteCount
    public var swapFree: ByteCount
    /// `swapTotal − swapFree`.
    public private(set) var swapUsed: ByteCount
    /// Whether ``available`` was estimated because the kernel did not report `MemAvailable`.
    public var availableIsEstimated: Bool
    /// ``used`` as a percentage of ``total``.
    public private(set) var usedPercent: Double

    public init(total: ByteCount, available: ByteCount, free: ByteCount, cached: ByteCount,
                swapTotal: ByteCount, swapFree: ByteCount, availableIsEstimated: Bool) {
        self.total = total
        self.available = available
        self.used = (total - available).clampedToZero
        self.free = free
        self.cached = cached
        self.swapTotal = swapTotal
        self.swapFree = swapFree
        self.swapUsed = (swapTotal - swapFree).clampedToZero
        self.availableIsEstimated = availableIsEstimated
        self.usedPercent = used.fraction(of: total) * 100
    }

    enum CodingKeys: String, CodingKey {
        case total = "totalBytes", available = "availableBytes", used = "usedBytes", free = "freeBytes",
             cached = "cachedBytes", swapTotal = "swapTotalBytes", swapFree = "swapFreeBytes",
             swapUsed = "swapUsedBytes", availableIsEstimated, usedPercent
    }
}
