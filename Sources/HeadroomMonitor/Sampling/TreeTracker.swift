/// Follows a process and all its descendants from sample to sample, cheaply.
///
/// Each process found keeps its `statm` (and `smaps_rollup`, for PSS) and its
/// threads' `children` lists open, so a sample is a few `pread`s per process
/// and no directory walk. Descendants are found anew at every sample (a
/// short-lived fork is seen if it lives through one sample); the thread list
/// of each process is listed again every ``taskRefresh`` seconds.
/// Where the kernel has no `children` lists, the parent map comes from every
/// `/proc/<pid>/stat`, which costs more. Processes that vanish mid-sample are
/// left out; only the root's disappearance ends the tree.
final class TreeTracker {
    /// A class, so a sample updates it in place rather than copying it out of the table and back.
    private final class Tracked {
        let name: String
        let statm: ProcFile
        let rollup: ProcFile?
        /// Each thread's `children` list, by thread ID.
        var children: [String: ProcFile]
        var tasksListedAt: Double

        init(name: String, statm: ProcFile, rollup: ProcFile?, children: [String: ProcFile], tasksListedAt: Double) {
            self.name = name
            self.statm = statm
            self.rollup = rollup
            self.children = children
            self.tasksListedAt = tasksListedAt
        }
    }

    let rootPID: Int32
    let root: SystemRoot
    let readsPSS: Bool
    static let taskRefresh = 2.0
    private var tracked: [Int32: Tracked] = [:]
    private let hasChildrenLists: Bool

    init(rootPID: Int32, root: SystemRoot, readsPSS: Bool) {
        self.rootPID = rootPID
        self.root = root
        self.readsPSS = readsPSS
        hasChildrenLists = root.exists("/proc/\(rootPID)/task/\(rootPID)/children")
    }

    /// The tree now, root first; `nil` when the root process is gone. `now` is
    /// a monotonic time in seconds, for the re-reading schedule.
    func sample(now: Double) -> [ProcessSample]? {
        let table = hasChildrenLists ? nil : ProcessTable.childrenByParent(root: root)
        var found: [ProcessSample] = []
        var seen: Set<Int32> = []
        var queue: [(pid: Int32, parent: Int32?)] = [(rootPID, nil)]
        var head = 0
        while head < queue.count {
            let (pid, parent) = queue[head]
            head += 1
            guard seen.insert(pid).inserted, let entry = tracked[pid] ?? open(pid, now: now) else { continue }
            // A process that exited between listing and reading fails the read; a zombie
            // (exited, not yet reaped) reads all zeros. Neither is in the tree any more.
            guard let statm = entry.statm.statm(), statm.mappedPages > 0 else {
                tracked[pid] = nil
                continue
            }
            let pss = entry.rollup?.read { $0.kilobytes(of: ["Pss:"])[0] }.flatMap { $0 }
            found.append(ProcessSample(pid: pid, parentPID: parent, name: entry.name,
                                       rss: statm.resident, pss: pss.map { ByteCount($0 &* 1024) }))
            let children: [Int32]
            if let table {
                children = table[pid] ?? []
            } else {
                if now - entry.tasksListedAt >= TreeTracker.taskRefresh {
                    entry.children = openChildren(pid, keeping: entry.children)
                    entry.tasksListedAt = now
                }
                children = entry.children.values.flatMap { file in
                    file.read { $0.decimalNumbers().map { Int32(truncatingIfNeeded: $0) } } ?? []
                }
            }
            if tracked[pid] == nil { tracked[pid] = entry }
            queue.append(contentsOf: children.map { ($0, pid) })
        }
        // Forget processes that left the tree (their files close with them).
        for pid in tracked.keys where !seen.contains(pid) { tracked[pid] = nil }
        guard found.first?.pid == rootPID else { return nil }
        return found
    }

    private func open(_ pid: Int32, now: Double) -> Tracked? {
        guard let statm = ProcFile(root.resolve("/proc/\(pid)/statm")) else { return nil }
        let name = root.readIfPresent("/proc/\(pid)/comm", limit: 256)?.trimmingWhitespace() ?? "?"
        let rollup = readsPSS ? ProcFile(root.resolve("/proc/\(pid)/smaps_rollup"), capacity: 1024) : nil
        return Tracked(name: name, statm: statm, rollup: rollup,
                       children: hasChildrenLists ? openChildren(pid, keeping: [:]) : [:], tasksListedAt: now)
    }

    /// The `children` list of each of `pid`'s threads, reusing the files already open.
    private func openChildren(_ pid: Int32, keeping open: [String: ProcFile]) -> [String: ProcFile] {
        var files: [String: ProcFile] = [:]
        for task in root.list("/proc/\(pid)/task") {
            files[task] = open[task] ?? ProcFile(root.resolve("/proc/\(pid)/task/\(task)/children"))
        }
        return files
    }
}
