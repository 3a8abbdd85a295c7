extension MemoryCache {
    /// Takes a hill-climbing sample once enough requests have passed since the last (ten per
    /// entry held, as Caffeine's), over all shards at once, and gives every shard the climber's
    /// new window share. One climber for the cache, not one per shard: the same requests make
    /// a sample a quarter as noisy with four shards, and the window then moves in fewer samples.
    /// Samples taken while the cache is under half full are dropped: a filling cache's hit rate
    /// says nothing about its window.
    func climb(_ totals: CacheCounters, entries: Int, bytes: Int, limit: Int) {
        guard policy == .wTinyLFU else { return }
        let share: Double? = climbing.withLock { state in
            let hits = totals.hits - state.start.hits
            let misses = totals.misses - state.start.misses
            guard hits + misses >= WindowClimber.sampleRequests(entries: entries) else { return nil }
            state.start = (totals.hits, totals.misses)
            guard bytes >= limit / 2 else { return nil }
            return state.climber.adjust(hits: hits, misses: misses)
        }
        guard let share else { return }
        for box in shards { box.state.withLock { $0.resizeWindow(share: share) } }
    }
}

/// The cache's hill climber and where its current sample began.
struct ClimbingState: Sendable {
    var climber = WindowClimber()
    var start = (hits: 0, misses: 0)
}
