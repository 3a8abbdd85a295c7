/// What a run of the batcher did: sizes, failures and throughput.
public struct BatchReport: Sendable, Hashable, Codable {
    /// One batch attempt.
    public struct Attempt: Sendable, Hashable, Codable {
        public enum Outcome: String, Sendable, Hashable, Codable {
            case succeeded, outOfMemory, retried
        }
        /// The index of the batch's first item.
        public var firstItem: Int
        public var size: Int
        public var outcome: Outcome
        /// How long the attempt took, in seconds.
        public var seconds: Double
    }

    /// Items processed, each exactly once.
    public var items: Int = 0
    /// Batches that succeeded.
    public var batches: Int = 0
    /// Out-of-memory errors the batcher recovered from.
    public var outOfMemoryCount: Int = 0
    /// Other errors retried under the retry policy.
    public var retries: Int = 0
    /// Every attempt in order.
    public var attempts: [Attempt] = []
    /// The size the batcher would run next.
    public var currentSize: Int = 0
    /// The largest batch that succeeded.
    public var bestSize: Int = 0
    /// The attempt after which the size search first settled (knew the largest size that fits).
    public var settledAtAttempt: Int?
    /// Out-of-memory errors before the search first settled.
    public var outOfMemoryCountUntilSettled: Int?
    /// Seconds from the first attempt to the last.
    public var seconds: Double = 0
    /// Items per second one at a time, where ``BatchingOptions/measuresSingleItemThroughput`` measured it.
    public var singleItemThroughput: Double?

    public init() {}

    /// The sizes of the attempts, in order.
    public var sizeHistory: [Int] { attempts.map(\.size) }

    /// Items per second over the whole run.
    public var throughput: Double { seconds > 0 ? Double(items) / seconds : 0 }

    /// Items per second over the last `window` successful batches.
    public func movingThroughput(window: Int = 8) -> Double {
        let recent = attempts.filter { $0.outcome == .succeeded }.suffix(window)
        let time = recent.reduce(0) { $0 + $1.seconds }
        return time > 0 ? Double(recent.reduce(0) { $0 + $1.size }) / time : 0
    }

    /// Throughput over one-at-a-time throughput, where that was measured.
    public var speedUp: Double? {
        guard let single = singleItemThroughput, single > 0 else { return nil }
        return throughput / single
    }
}

/// Where a run stands, for progress bars and logs.
public struct BatchProgress: Sendable, Hashable {
    public var itemsDone: Int
    public var itemsTotal: Int
    public var batchSize: Int
    public var outOfMemoryCount: Int
    /// Items per second over the recent batches.
    public var throughput: Double
}
