/// How an ``AdaptiveBatcher`` sizes, retries and reports.
public struct BatchingOptions: Sendable {
    /// Where the first batch size comes from.
    public enum Start: Sendable {
        /// Probe: double from this size until a batch fails, then bisect.
        case probe(from: Int)
        /// Start from what a memory budget allows, and grow back slowly.
        case budget(BatchBudget)
        /// Start from a known size, and grow back slowly.
        case fixed(Int)
    }

    public var start: Start
    /// The largest batch ever tried.
    public var maximumSize: Int
    /// Successes in a row before the batcher tries a larger size.
    public var growAfter: Int
    /// Decides which errors mean out of memory.
    public var classifier: OutOfMemoryClassifier
    /// What to do about errors that are not out of memory.
    public var retryPolicy: RetryPolicy
    /// Run after every out-of-memory error, before the retry: free caches
    /// (`torch.cuda.empty_cache()`'s counterpart), drop references, collect.
    public var cleanupHooks: [@Sendable () async -> Void]
    /// Remembers the size learned for a workload, so the next run starts there.
    public var learnedLimits: LearnedLimits?
    /// The workload's name in ``learnedLimits``.
    public var workloadKey: String?
    /// Run the first item alone to measure one-at-a-time throughput for the report's speed-up.
    public var measuresSingleItemThroughput: Bool
    /// Called after each batch, for progress bars and logs.
    public var progress: (@Sendable (BatchProgress) -> Void)?
    /// The clock for throughput, in seconds; a simulated device can supply its own.
    public var now: @Sendable () -> Double
    /// Waits between retries; tests replace it.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(start: Start = .probe(from: 1), maximumSize: Int = 4096, growAfter: Int = 8,
                classifier: OutOfMemoryClassifier = OutOfMemoryClassifier(), retryPolicy: RetryPolicy = .none,
                cleanupHooks: [@Sendable () async -> Void] = [], learnedLimits: LearnedLimits? = nil,
                workloadKey: String? = nil, measuresSingleItemThroughput: Bool = false,
                progress: (@Sendable (BatchProgress) -> Void)? = nil,
                now: @escaping @Sendable () -> Double = BatchingOptions.monotonicSeconds,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.start = start
        self.maximumSize = max(1, maximumSize)
        self.growAfter = growAfter
        self.classifier = classifier
        self.retryPolicy = retryPolicy
        self.cleanupHooks = cleanupHooks
        self.learnedLimits = learnedLimits
        self.workloadKey = workloadKey
        self.measuresSingleItemThroughput = measuresSingleItemThroughput
        self.progress = progress
        self.now = now
        self.sleep = sleep
    }

    /// Seconds on the monotonic clock.
    @Sendable public static func monotonicSeconds() -> Double {
        (ContinuousClock().now - BatchingOptions.epoch).seconds
    }

    private static let epoch = ContinuousClock().now

    /// The search the options describe, given a learned size (if any).
    func makeSearch(learned: Int?) -> BatchSizeSearch {
        if let learned {
            return BatchSizeSearch(start: learned, maximum: maximumSize, growAfter: growAfter, exploreUpward: false)
        }
        switch start {
        case .probe(let from):
            return BatchSizeSearch(start: from, maximum: maximumSize, growAfter: growAfter, exploreUpward: true)
        case .budget(let budget):
            return BatchSizeSearch(start: budget.batchSize, maximum: maximumSize, growAfter: growAfter, exploreUpward: false)
        case .fixed(let size):
            return BatchSizeSearch(start: size, maximum: maximumSize, growAfter: growAfter, exploreUpward: false)
        }
    }
}
