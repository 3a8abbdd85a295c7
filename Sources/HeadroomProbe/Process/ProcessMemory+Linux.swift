#if os(Linux)
import Glibc

extension ProcessMemory {
    /// Reads `/proc/<pid>/status` and `/proc/<pid>/smaps_rollup` under `root`.
    ///
    /// - Parameter includePSS: read `smaps_rollup` (it walks every mapping, so it costs more).
    /// - Throws: ``ProbeError`` when the process does not exist (or vanished) or its status is malformed.
    public static func read(pid: Int32, includePSS: Bool = true, root: SystemRoot = .live) throws(ProbeError) -> ProcessMemory {
        let path = "/proc/\(pid)/status"
        let text = try root.read(path)
        let fields = text.kilobyteFields(["PPid", "VmRSS", "VmHWM", "VmSwap"])
        let name = text.lines.first { $0.hasPrefix("Name:") }
            .map { $0.dropFirst(5).trimmingWhitespace() }
        guard let name else { throw ProbeError(.malformed, path: root.resolve(path), "no Name line") }
        var pss: ByteCount?
        if includePSS, let rollup = root.readIfPresent("/proc/\(pid)/smaps_rollup") {
            pss = rollup.kilobyteFields(["Pss"])[0].map { ByteCount($0) }
        }
        let rss = fields[1] ?? 0
        return ProcessMemory(
            pid: pid, parentPID: fields[0].map { Int32(truncatingIfNeeded: $0) }, name: name,
            rss: ByteCount(rss), peakRSS: ByteCount(fields[2] ?? rss), swap: ByteCount(fields[3] ?? 0), pss: pss)
    }

    /// This process's own ID.
    public static var currentPID: Int32 { getpid() }
}

extension ProcessTreeMemory {
    /// Reads process `pid` and every descendant under `root`.
    ///
    /// Processes that exit while the tree is read are left out; only the root's
    /// disappearance is an error.
    /// - Throws: ``ProbeError`` when the root process cannot be read.
    public static func read(pid: Int32, includePSS: Bool = true, root: SystemRoot = .live) throws(ProbeError) -> ProcessTreeMemory {
        let top = try ProcessMemory.read(pid: pid, includePSS: includePSS, root: root)
        let processes = ProcessTreeWalker(rootPID: pid, root: root).walk(now: 0) { next, _ in
            next == pid ? top : try? ProcessMemory.read(pid: next, includePSS: includePSS, root: root)
        }
        return ProcessTreeMemory(root: top, processes: processes ?? [top])
    }
}
#endif
