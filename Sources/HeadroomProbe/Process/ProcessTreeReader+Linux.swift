#if os(Linux)
/// Follows a process and all its descendants from reading to reading, cheaply:
/// what a sampler reads many times a second.
///
/// Each process found keeps its `statm` (and `smaps_rollup`, for PSS) open, and
/// the ``ProcessTreeWalker`` keeps its `children` lists open, so a reading is a
/// few `pread`s per process. Descendants are found anew at every reading (a
/// short-lived fork is seen if it lives through one). Processes that vanish
/// mid-reading are left out; only the root's disappearance ends the tree.
/// Not thread-safe: its owner reads it under its own lock.
package final class ProcessTreeReader {
    /// A process's kept-open files.
    private struct Tracked {
        let name: String
        let statm: KeptOpenFile
        let rollup: KeptOpenFile?
        /// The root's `status`, for its high-water mark (`VmHWM`).
        let status: KeptOpenFile?
        /// The pod, container or Slurm job, read once: a process does not change cgroup in practice.
        let workload: WorkloadIdentity?
    }

    package let readsPSS: Bool
    private let walker: ProcessTreeWalker
    private var tracked: [Int32: Tracked] = [:]

    package init(rootPID: Int32, root: SystemRoot, readsPSS: Bool) {
        self.readsPSS = readsPSS
        walker = ProcessTreeWalker(rootPID: rootPID, root: root)
    }

    /// The tree now, root first; `nil` when the root process is gone. `now` is
    /// a monotonic time in seconds, for the re-listing schedule.
    package func read(now: Double) -> [ProcessSample]? {
        let found = walker.walk(now: now) { pid, parent -> ProcessSample? in
            guard let entry = tracked[pid] ?? open(pid) else { return nil }
            // A process that exited between listing and reading fails the read; a zombie
            // (exited, not yet reaped) reads all zeros. Neither is in the tree any more.
            guard let statm = entry.statm.statm(), statm.mappedPages > 0 else {
                tracked[pid] = nil
                return nil
            }
            tracked[pid] = entry
            let pss = entry.rollup?.read { $0.kilobyteFields(["Pss"])[0] }.flatMap { $0 }
            var sample = ProcessSample(pid: pid, parentPID: parent, name: entry.name, rss: statm.resident,
                                       pss: pss.map { ByteCount($0) })
            sample.workload = entry.workload
            sample.peakRSS = entry.status?.read { $0.kilobyteFields(["VmHWM"])[0] }.flatMap { $0 }.map { ByteCount($0) }
            return sample
        }
        let live = Set((found ?? []).map(\.pid))
        for pid in tracked.keys where !live.contains(pid) { tracked[pid] = nil }
        return found
    }

    private func open(_ pid: Int32) -> Tracked? {
        let root = walker.root
        guard let statm = KeptOpenFile(root.resolve("/proc/\(pid)/statm")) else { return nil }
        let name = root.readIfPresent("/proc/\(pid)/comm", limit: 256)?.trimmingWhitespace() ?? "?"
        let rollup = readsPSS ? KeptOpenFile(root.resolve("/proc/\(pid)/smaps_rollup"), capacity: 1024) : nil
        let status = pid == walker.rootPID ? KeptOpenFile(root.resolve("/proc/\(pid)/status"), capacity: 2048) : nil
        return Tracked(name: name, statm: statm, rollup: rollup, status: status,
                       workload: WorkloadIdentity.read(pid: pid, root: root))
    }
}
#endif
