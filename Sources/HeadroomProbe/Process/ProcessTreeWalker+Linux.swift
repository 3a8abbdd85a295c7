#if os(Linux)
/// The one walk of a process tree: the root, then its descendants breadth-first.
///
/// Where the kernel keeps `/proc/<pid>/task/<tid>/children` (CONFIG_PROC_CHILDREN,
/// on in common distributions), each process's threads' `children` lists are
/// kept open between walks, so a walk is a few `pread`s per process and no
/// directory walk; the thread list of each process is listed again every
/// ``taskRefresh`` seconds. Elsewhere the parent map comes from every
/// `/proc/<pid>/stat`, which costs more. Not thread-safe: its owner walks it under its own lock.
package final class ProcessTreeWalker {
    package let rootPID: Int32
    package let root: SystemRoot
    /// Seconds between listings of a process's threads.
    static let taskRefresh = 2.0
    private let hasChildrenLists: Bool
    /// Each process's threads' `children` lists, by thread ID, and when they were listed.
    private var childLists: [Int32: (files: [String: KeptOpenFile], listedAt: Double)] = [:]

    package init(rootPID: Int32, root: SystemRoot) {
        self.rootPID = rootPID
        self.root = root
        hasChildrenLists = root.exists("/proc/\(rootPID)/task/\(rootPID)/children")
    }

    /// Calls `visit` for the root and each descendant, each once, and returns what it
    /// returned, root first; `nil` when the root could not be visited.
    ///
    /// `visit` returns `nil` for a process that is gone (it exited between listing and
    /// reading): it is left out and its children are not followed. `now` is a
    /// monotonic time in seconds, for the re-listing schedule.
    package func walk<Reading>(now: Double, visit: (_ pid: Int32, _ parent: Int32?) -> Reading?) -> [Reading]? {
        let table = hasChildrenLists ? nil : ProcessTable.childrenByParent(root: root)
        var found: [Reading] = []
        var visited: Set<Int32> = []
        var seen: Set<Int32> = []
        var queue: [(pid: Int32, parent: Int32?)] = [(rootPID, nil)]
        var head = 0
        while head < queue.count {
            let (pid, parent) = queue[head]
            head += 1
            guard seen.insert(pid).inserted, let reading = visit(pid, parent) else {
                if pid == rootPID { break }
                continue
            }
            visited.insert(pid)
            found.append(reading)
            let children = table.map { $0[pid] ?? [] } ?? listChildren(pid, now: now)
            queue.append(contentsOf: children.map { ($0, pid) })
        }
        // Forget processes that left the tree (their files close with them).
        for pid in childLists.keys where !visited.contains(pid) { childLists[pid] = nil }
        return visited.contains(rootPID) ? found : nil
    }

    /// `pid`'s children from its threads' kept-open `children` lists, in PID order.
    private func listChildren(_ pid: Int32, now: Double) -> [Int32] {
        var entry = childLists[pid] ?? ([:], -Double.infinity)
        if now - entry.listedAt >= ProcessTreeWalker.taskRefresh {
            var files: [String: KeptOpenFile] = [:]
            for task in root.list("/proc/\(pid)/task") {
                files[task] = entry.files[task] ?? KeptOpenFile(root.resolve("/proc/\(pid)/task/\(task)/children"))
            }
            entry = (files, now)
            childLists[pid] = entry
        }
        return entry.files.values.flatMap { file in
            file.read { $0.decimalNumbers().map { Int32(truncatingIfNeeded: $0) } } ?? []
        }.sorted()
    }
}

/// The process table under `/proc`.
package enum ProcessTable {
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

    /// When process `pid` started, in clock ticks since boot (field 22 of `/proc/<pid>/stat`):
    /// with the PID, it names one process, whatever PIDs are reused later. `nil` once it is gone.
    package static func startTime(of pid: Int32, root: SystemRoot = .live) -> UInt64? {
        guard let fields = statFields(of: pid, root: root), fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    /// Whether process `pid` has exited: gone, or a zombie its parent has not reaped yet.
    package static func hasExited(_ pid: Int32, root: SystemRoot = .live) -> Bool {
        guard let state = statFields(of: pid, root: root)?.first else { return true }
        return state == "Z" || state == "X"
    }

    /// The fields of `/proc/<pid>/stat` after the command name, from the state on.
    private static func statFields(of pid: Int32, root: SystemRoot) -> [Substring]? {
        guard let stat = root.readIfPresent("/proc/\(pid)/stat", limit: 4096), let close = stat.lastIndex(of: ")") else {
            return nil
        }
        return stat[stat.index(after: close)...].words
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
