#if canImport(Glibc)
import Glibc
#endif
import HeadroomProbe
import Synchronization

/// The processes one trial started, remembered while it runs, so that what it
/// leaves behind is stopped when it ends: background workers in its process
/// group, and those that left the group (`setsid`) but were seen as its descendants.
///
/// A process is remembered with its start time, so a PID reused by an unrelated
/// process later is never signalled.
final class TrialProcesses: Sendable {
    /// The trial's process, also its process group.
    let group: Int32
    private let seen = Mutex<[Int32: UInt64]>([:])

    init(group: Int32) {
        self.group = group
    }

    /// Walks the trial's tree now and remembers every process in it.
    func record() {
        let found = ProcessTreeWalker(rootPID: group, root: .live).walk(now: 0) { pid, _ in
            ProcessTable.startTime(of: pid).map { (pid, $0) }
        } ?? []
        seen.withLock { seen in
            for (pid, start) in found { seen[pid] = start }
        }
    }

    /// Records the tree every `interval` until cancelled, and stops everything once the
    /// trial's own process has exited: a background child would otherwise hold its output
    /// open, and the trial would wait for it.
    func watch(every interval: Duration = .milliseconds(100)) async {
        while !Task.isCancelled {
            if ProcessTable.hasExited(group) {
                stopAll()
                return
            }
            record()
            try? await Task.sleep(for: interval)
        }
    }

    /// SIGKILLs the trial's process group and every remembered process that is still the one seen.
    func stopAll() {
        kill(-group, SIGKILL)
        for (pid, start) in seen.withLock({ $0 }) where pid != group && ProcessTable.startTime(of: pid) == start {
            kill(pid, SIGKILL)
        }
    }
}
