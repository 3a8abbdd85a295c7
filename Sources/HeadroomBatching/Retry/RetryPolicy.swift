/// When to retry a batch that failed with an error other than out-of-memory:
/// exponential backoff with jitter, up to a number of attempts, for the errors
/// it accepts. The default retries nothing.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included; 1 means no retry.
    public var maxAttempts: Int
    /// The wait before the second attempt.
    public var initialDelay: Duration
    /// How much each wait grows over the one before.
    public var multiplier: Double
    /// The longest wait.
    public var maxDelay: Duration
    /// The share of each wait drawn at random (0 none, 1 anywhere from zero to the full wait).
    public var jitter: Double
    /// Which errors to retry.
    public var shouldRetry: @Sendable (any Error) -> Bool

    public init(maxAttempts: Int, initialDelay: Duration = .milliseconds(100), multiplier: Double = 2,
                maxDelay: Duration = .seconds(10), jitter: Double = 0.2,
                shouldRetry: @escaping @Sendable (any Error) -> Bool = { _ in true }) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.multiplier = max(1, multiplier)
        self.maxDelay = maxDelay
        self.jitter = min(max(jitter, 0), 1)
        self.shouldRetry = shouldRetry
    }

    /// No retries: the first error propagates.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt `attempt` (1 for the first failure), with jitter from `random`.
    public func delay(afterAttempt attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        var seconds = initialDelay.seconds
        for _ in 1..<max(1, attempt) { seconds *= multiplier }
        let cap = maxDelay.seconds
        seconds = min(seconds, cap)
        if jitter > 0 { seconds *= 1 - jitter * Double.random(in: 0...1, using: &random) }
        return .nanoseconds(Int64(seconds * 1e9))
    }
}
