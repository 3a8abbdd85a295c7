#if os(Linux)
extension HostMemory {
    /// The `/proc/meminfo` fields a reading uses, in this order.
    static let meminfoKeys = ["MemTotal", "MemFree", "MemAvailable", "Cached", "SReclaimable", "SwapTotal", "SwapFree",
                              "Active(file)", "Inactive(file)"]

    /// Reads `/proc/meminfo` under `root`.
    ///
    /// Where `MemAvailable` is missing or zero (kernels before 3.14, some
    /// sandboxes), available memory is estimated as psutil does: free memory
    /// less the zones' low watermarks, plus the page cache and reclaimable slab
    /// that can be dropped without going under the watermark (`/proc/zoneinfo`),
    /// or `MemFree + Cached` where that file is unreadable.
    /// - Throws: ``ProbeError`` when the file is missing or lacks `MemTotal`/`MemFree`.
    public static func read(root: SystemRoot = .live) throws(ProbeError) -> HostMemory {
        try parse(root.read(meminfoPath).kilobyteFields(meminfoKeys), root: root)
    }

    static let meminfoPath = "/proc/meminfo"

    /// Host memory from the values of ``meminfoKeys`` (bytes), as read from `/proc/meminfo`
    /// in one pass or from a kept-open file.
    /// - Throws: ``ProbeError`` when `MemTotal` or `MemFree` is missing.
    static func parse(_ values: [Int64?], root: SystemRoot) throws(ProbeError) -> HostMemory {
        let field = { (key: String) in values[meminfoKeys.firstIndex(of: key)!] }
        guard let total = field("MemTotal"), let free = field("MemFree") else {
            throw ProbeError(.malformed, path: root.resolve(meminfoPath), "no MemTotal or MemFree line")
        }
        let cached = (field("Cached") ?? 0).addingSaturating(field("SReclaimable") ?? 0)
        var available = field("MemAvailable") ?? 0
        let estimated = available == 0
        if estimated {
            available = estimateAvailable(free: free, cached: field("Cached") ?? 0, activeFile: field("Active(file)"),
                                          inactiveFile: field("Inactive(file)"), slabReclaimable: field("SReclaimable"),
                                          root: root)
        }
        // psutil's guards: never negative, and never above total (then free is the better figure).
        if available < 0 { available = 0 }
        if available > total { available = free }
        return HostMemory(
            total: ByteCount(total), available: ByteCount(available), free: ByteCount(free),
            cached: ByteCount(cached),
            swapTotal: ByteCount(field("SwapTotal") ?? 0), swapFree: ByteCount(field("SwapFree") ?? 0),
            availableIsEstimated: estimated)
    }

    /// psutil's `calculate_avail_vmem`, the kernel's own MemAvailable formula from userspace.
    static func estimateAvailable(free: Int64, cached: Int64, activeFile: Int64?, inactiveFile: Int64?,
                                  slabReclaimable: Int64?, root: SystemRoot) -> Int64 {
        let fallback = free.addingSaturating(cached)
        guard let activeFile, let inactiveFile, let slabReclaimable,
              let zoneinfo = root.readIfPresent("/proc/zoneinfo", limit: 4 << 20)
        else { return fallback }
        var lowPages: Int64 = 0
        for line in zoneinfo.lines {
            let parts = line.words
            if parts.count >= 2, parts[0] == "low", let pages = Int64(parts[1]) {
                lowPages = lowPages.addingSaturating(pages)
            }
        }
        let watermarkLow = Double(lowPages.multipliedSaturating(by: SystemPage.size))
        var available = Double(free) - watermarkLow
        var pageCache = Double(activeFile.addingSaturating(inactiveFile))
        pageCache -= min(pageCache / 2, watermarkLow)
        available += pageCache
        available += Double(slabReclaimable) - min(Double(slabReclaimable) / 2, watermarkLow)
        return Int64(max(0, min(available, 9e18)))
    }
}
#endif
