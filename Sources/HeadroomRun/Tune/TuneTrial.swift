/// One run of a program at one batch size, and what it showed.
public struct TuneTrial: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// The batch fits: the program exited 0, printed the success marker, or
        /// ran for the trial time without running out of memory.
        case fits
        /// The program ran out of memory: it printed an out-of-memory message,
        /// or was killed by SIGKILL (the kernel's OOM killer).
        case outOfMemory
        /// The program failed for another reason; tuning stops.
        case failed
    }

    public var size: Int
    public var outcome: Outcome
    /// Why, in words: `exited 0`, `printed "CUDA out of memory…"`, `killed by SIGKILL`.
    public var reason: String
    public var seconds: Double
    /// The program's exit status, when it exited on its own.
    public var exitStatus: Int32?
    /// The signal that ended it, when one did (after a decision, Headroom's own SIGKILL).
    public var signal: Int32?
    /// The last lines the program printed (standard output and error together), for failures.
    public var lastLines: [String]

    public init(size: Int, outcome: Outcome, reason: String, seconds: Double = 0,
                exitStatus: Int32? = nil, signal: Int32? = nil, lastLines: [String] = []) {
        self.size = size
        self.outcome = outcome
        self.reason = reason
        self.seconds = seconds
        self.exitStatus = exitStatus
        self.signal = signal
        self.lastLines = lastLines
    }
}
