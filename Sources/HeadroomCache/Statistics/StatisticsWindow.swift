/// Two marks on the cache's running totals, so "recent" activity is the
/// difference between now and a mark one to two spans back. Advanced whenever
/// statistics are read and every 1024 insertions per shard.
struct StatisticsWindow: Sendable {
    let span: Duration
    let start: ContinuousClock.Instant
    var previous: (at: ContinuousClock.Instant, totals: CacheCounters)
    var current: (at: ContinuousClock.Instant, totals: CacheCounters)

    init(span: Duration) {
        self.span = span
        start = .now
        previous = (start, CacheCounters())
        current = (start, CacheCounters())
    }

    mutating func advance(to totals: CacheCounters, at now: ContinuousClock.Instant) {
        if now - current.at >= span {
            previous = current
            current = (now, totals)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        duration.seconds
    }
}
