/// Moves a shard's W-TinyLFU window between 0% and 80% of its bytes by hill
/// climbing on the hit rate, as Caffeine does: after each sample of requests it
/// steps the window's share in the direction that raised the hit rate and
/// reverses when the rate fell. The step shrinks by 2% a sample, and restarts at
/// 6.25% when the rate moves by 5 points or more (the workload changed). A
/// recency-heavy workload ends with a large window, a frequency-heavy one with
/// a small window.
@usableFromInline
struct WindowClimber: Sendable {
    /// The share a shard starts with: W-TinyLFU's 1% window.
    @usableFromInline static let initialShare = 0.01
    @usableFromInline static let maximumShare = 0.80
    @usableFromInline static let restartStep = 0.0625
    @usableFromInline static let decay = 0.98
    @usableFromInline static let restartThreshold = 0.05

    /// The window's share of the shard's bytes now.
    @usableFromInline var share = initialShare
    /// The next step, signed: the first sample shrinks the window, as Caffeine's first does.
    @usableFromInline var step = -restartStep
    @usableFromInline var previousHitRate = 0.0
    /// Samples taken so far.
    @usableFromInline var samples = 0

    @inlinable init() {}

    /// Requests per sample: ten per entry held (Caffeine's), at least 640.
    @inlinable static func sampleRequests(entries: Int) -> Int { max(64, entries) * 10 }

    /// Takes one sample's hits and misses and returns the window's new share.
    @inlinable mutating func adjust(hits: Int, misses: Int) -> Double {
        let requests = hits + misses
        guard requests > 0 else { return share }
        let hitRate = Double(hits) / Double(requests)
        let change = hitRate - previousHitRate
        let amount = change >= 0 ? step : -step
        step = abs(change) >= Self.restartThreshold ? Self.restartStep * (amount >= 0 ? 1 : -1) : Self.decay * amount
        previousHitRate = hitRate
        share = min(max(share + amount, 0), Self.maximumShare)
        samples += 1
        return share
    }
}
