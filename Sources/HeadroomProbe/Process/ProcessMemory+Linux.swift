#if os(Linux)
extension ProcessMemory {
    /// Reads `/proc/<pid>/status` and `/proc/<pid>/smaps_rollup` under `root`.
    ///
    /// - Parameter includePSS: read `smaps_rollup` (it walks every mapping, so it costs more).
    /// - Throws: ``ProbeError`` when the process does not exist (or vanished) or its status is malformed.
    public static func read(pid: Int32, includePSS: Bool = true, root: SystemRoot = .live) throws(ProbeError) -> ProcessMemory {
        let path = "/proc/\(pid)/status"
        let text = try root.read(path)
        let fields = TextParsing.kilobyteFields(text)
        let name = text.lines.first { $0.hasPrefix("Name:") }
            .map { $0.dropFirst(5).trimmingWhitespace() }
        guard let name else { throw ProbeError(.malformed, path: root.resolve(path), "no Name line") }
        var pss: ByteCount?
        if includePSS, let rollup = root.readIfPresent("/proc/\(pid)/smaps_rollup") {
            pss = TextParsing.kilobyteFields(rollup)["Pss"].map { ByteCount($0) }
        }
        return ProcessMemory(
            pid: pid, parentPID: fields["PPid"].map { Int32(truncatingIfNeeded: $0) }, name: name,
            rss: ByteCount(fields["VmRSS"] ?? 0), peakRSS: ByteCount(fields["VmHWM"] ?? fields["VmRSS"] ?? 0),
            swap: ByteCount(fields["VmSwap"] ?? 0), pss: pss)
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
        let children = ProcessTable.childLister(root: root, probe: pid)
        var processes = [top]
        var queue = children(pid)
        var seen: Set<Int32> = [pid]
        var head = 0
        while head < queue.count {
            let next = queue[head]
            head += 1
            guard seen.insert(next).inserted else { continue }
            if let process = try? ProcessMemory.read(pid: next, includePSS: includePSS, root: root) {
                processes.append(process)
            }
            queue.append(contentsOf: children(next))
        }
        return ProcessTreeMemory(root: top, processes: processes)
    }
}

/// The process table under `/proc`.
package enum ProcessTable {
    /// A function from a PID to its children's PIDs.
    ///
    /// Where the kernel keeps `/proc/<pid>/task/<tid>/children` (CONFIG_PROC_CHILDREN,
    /// on in common distributions), only the tree itself is read; otherwise every
    /// process's `stat` is read once to build the parent map.
    static func childLister(root: SystemRoot, probe pid: Int32) -> (Int32) -> [Int32] {
        if root.exists("/proc/\(pid)/task/\(pid)/children") {
            return { parent in
                var found: [Int32] = []
                for task in root.list("/proc/\(parent)/task") {
                    let text = root.readIfPresent("/proc/\(parent)/task/\(task)/children", limit: 1 << 20) ?? ""
                    found.append(contentsOf: text.words.compactMap { Int32($0.trimmingWhitespace()) })
                }
                return found.sorted()
            }
        }
        let table = childrenByParent(root: root)
        return { table[$0] ?? [] }
    }

    /// Each process's children, from the parent field of every `/proc/<pid>/stat`.
    package static func childrenByParent(root: SystemRoot) -> [Int32: [Int32]] {
        var children: [Int32: [Int32]] = [:]
        for name in root.list("/proc") {
            guard let pid = Int32(name), let stat = root.readIfPresent("/proc/\(name)/stat", limit: 4096),
                  let parent = parentPID(fromStat: stat) else { continue }
            children[parent, default: []].append(pid)
        }
        for key in children.keys { children[key]?.sort() }
        return children
    }

    /// The fourth field of `/proc/<pid>/stat`, after the command name in parentheses
    /// (which may itself hold spaces and parentheses, hence the last `)`).
    static func parentPID(fromStat stat: String) -> Int32? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].words
        return fields.count >= 2 ? Int32(fields[1]) : nil
    }
}
#endif
