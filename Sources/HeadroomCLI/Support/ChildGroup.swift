import Headroom
import Synchronization

/// The process group of the program a command is running, stopped when
/// `headroom` itself is interrupted: the program runs in its own group (so a
/// decision can stop its whole tree), which also means the terminal's Ctrl-C
/// does not reach it.
enum ChildGroup {
    /// The running program's process group ID, or 0.
    static let current = Atomic<Int32>(0)

    /// On SIGINT, SIGTERM or SIGHUP: SIGKILL the running program's group, then exit 128 + the signal.
    static func stopOnInterrupt() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            // Only async-signal-safe calls here: an atomic load, kill and _exit.
            signal(signalNumber) { received in
                let group = ChildGroup.current.load(ordering: .sequentiallyConsistent)
                if group > 0 { kill(-group, SIGKILL) }
                _exit(128 + received)
            }
        }
    }
}
