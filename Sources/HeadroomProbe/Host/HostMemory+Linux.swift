#if os(Linux)
extension HostMemory {
    /// Reads `/proc/meminfo` under `root`.
    ///
    /// Where `MemAvailable` is missing or zero (kernels before 3.14, some
    /// sandboxes), available memory is estimated as psutil does: free memory
    /// less the zones' low watermarks, plus the page cache and reclaimable slab
    /// that can be dropped without going under the watermark (`/proc/zoneinfo`),
    /// or `MemFree + Cached` where that file is unreadable.
    /// - Throws: ``ProbeError`` when the file is missing or lacks `MemTotal`/`MemFree`.
    public static func read(root: SystemRoot = .live) throws(ProbeError) -> HostMemory {
        let path = "/proc/meminfo"
        let fields = TextParsing.kilobyteFields(try root.read(path))
        guard let total = fields["MemTotal"], let free = fields["MemFree"] else {
            throw ProbeError(.malformed, path: root.resolve(path), "no MemTotal or MemFree line")
        }
        let cached = (fields["Cached"] ?? 0).addingSaturating(fields["SReclaimable"] ?? 0)
        var available = fields["MemAvailable"] ?? 0
        let estimated = available == 0
        if estimated {
            available = estimateAvailable(fields, root: root)
        }
        // psutil's guards: never negative, and never above total (then free is the better figure).
        if available < 0 { available = 0 }
        if available > total { available = free }
        return HostMemory(
            total: ByteCount(total), available: ByteCount(available), free: ByteCount(free),
            cached: ByteCount(cached),
            swapTotal: ByteCount(fields["SwapTotal"] ?? 0), swapFree: ByteCount(fields["SwapFree"] ?? 0),
            availableIsEstimated: estimated)
    }

    /// psutil's `calculate_avail_vmem`, the kernel's own MemAvailable formula from userspace.
    static func estimateAvailable(_ fields: [String: Int64], root: SystemRoot) -> Int64 {
        let free = fields["MemFree"] ?? 0
        let fallback = free.addingSaturating(fields["Cached"] ?? 0)
        guard let activeFile = fields["Active(file)"], let inactiveFile = fields["Inactive(file)"],
              let slabReclaimable = fields["SReclaimable"],
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
