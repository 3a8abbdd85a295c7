import HeadroomCore

extension MemoryCache {
    /// What the cache holds and what it did, over its life and the recent window.
    public var statistics: CacheStatistics {
        var totals = CacheCounters()
        var bytes = 0
        var entries = 0
        var limit = 0
        var windowBytes = 0.0
        var sketchBytes = 0
        var shifts = 0
        for box in shards {
            box.state.withLock { shard in
                totals = totals + shard.counters
                bytes += shard.bytes
                entries += shard.count
                limit += shard.limit
                windowBytes += shard.windowShare * Double(shard.limit)
                sketchBytes += shard.sketch.bytes
                shifts = max(shifts, shard.adaptation.shifts)
            }
        }
        let now = ContinuousClock.now
        let (since, base, start) = window.withLock { window in
            window.advance(to: totals, at: now)
            return (window.previous.at, window.previous.totals, window.start)
        }
        let share = limit > 0 ? windowBytes / Double(limit) : CacheShard<Key, Value>.initialWindowShare
        return CacheStatistics(
            name: name, bytes: ByteCount(Int64(bytes)), capacity: ByteCount(Int64(limit)), entries: entries,
            lifetime: CacheActivity(totals, seconds: StatisticsWindow.seconds(now - start)),
            recent: CacheActivity(totals - base, seconds: StatisticsWindow.seconds(now - since)),
            windowShare: policy == .wTinyLFU ? share : nil, popularShifts: shifts, sketchBytes: sketchBytes)
    }

    /// One line for logs: `cache 1.9/2.0 GiB · hit 85% · evict 4% · window 1%`.
    public var status: String { statistics.status }

    /// Work done every 1024 insertions per shard: poll the pressure signal, advance the statistics window.
    @usableFromInline
    func periodic() {
        checkPressure()
        _ = statistics
    }
}
