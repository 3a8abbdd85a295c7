#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The one handler for SIGINT, SIGTERM and SIGHUP while `headroom` runs a
/// program (`tune`'s trials, `watch`'s command or attached process).
///
/// The program is tracked by ``track(_:)`` as it starts; what a signal does
/// then depends on the ``Policy`` installed.
public enum ChildSignals {
    /// What a signal does.
    public enum Policy: Int32, Sendable {
        /// Pass SIGTERM and SIGHUP on to the program, and SIGINT too unless the
        /// terminal already sent it to the program's process group (ours);
        /// with no program (an attached `--pid`), mark the run ``isInterrupted``.
        case forward = 1
        /// SIGKILL the program's whole process group (a trial runs in its own),
        /// then exit 128 + the signal: a decision can stop a trial's whole tree,
        /// which also means the terminal's Ctrl-C does not reach it.
        case stopGroupAndExit = 2
    }

    private static let policy = Atomic<Int32>(0)
    /// The running program's PID (for a trial also its process group ID), or 0.
    private static let child = Atomic<Int32>(0)
    private static let interrupted = Atomic<Bool>(false)
    /// Whether SIGINT must be passed on: not when we are the terminal's foreground group.
    private static let forwardsInterrupt = Atomic<Bool>(true)

    /// Installs the handler with `policy`.
    public static func install(_ policy: Policy) {
        forwardsInterrupt.store(!(isatty(0) == 1 && tcgetpgrp(0) == getpgrp()), ordering: .sequentiallyConsistent)
        self.policy.store(policy.rawValue, ordering: .sequentiallyConsistent)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            // Only async-signal-safe work here: atomic loads and stores, kill and _exit.
            signal(signalNumber) { received in
                let child = ChildSignals.child.load(ordering: .sequentiallyConsistent)
                if ChildSignals.policy.load(ordering: .sequentiallyConsistent) == Policy.stopGroupAndExit.rawValue {
                    if child > 0 { kill(-child, SIGKILL) }
                    _exit(128 + received)
                }
                if child > 0 {
                    if received != SIGINT || ChildSignals.forwardsInterrupt.load(ordering: .sequentiallyConsistent) {
                        kill(child, received)
                    }
                } else {
                    ChildSignals.interrupted.store(true, ordering: .sequentiallyConsistent)
                }
            }
        }
    }

    /// The program now running (0 when none).
    static func track(_ pid: Int32) {
        child.store(pid, ordering: .sequentiallyConsistent)
    }

    /// Whether a signal arrived while no program was running.
    public static var isInterrupted: Bool {
        interrupted.load(ordering: .sequentiallyConsistent)
    }
}
