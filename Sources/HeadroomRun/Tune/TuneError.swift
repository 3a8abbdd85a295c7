/// Why tuning stopped without an answer.
public struct TuneError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The program failed for a reason other than memory.
        case programFailed
        /// Even a batch of one ran out of memory.
        case singleItemOutOfMemory
        /// The program could not be started.
        case cannotStart
        /// The trial limit was reached before the search settled.
        case tooManyTrials
    }

    public var kind: Kind
    public var message: String
    /// The trial that ended the search, when one did.
    public var trial: TuneTrial?
    /// The trials before it.
    public var report: TuneReport?

    public init(kind: Kind, message: String, trial: TuneTrial? = nil, report: TuneReport? = nil) {
        self.kind = kind
        self.message = message
        self.trial = trial
        self.report = report
    }

    public var description: String { message }
}
