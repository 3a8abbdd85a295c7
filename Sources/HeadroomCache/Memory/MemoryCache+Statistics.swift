import HeadroomCore

extension MemoryCache {
    /// What the shards hold and counted, summed under each shard's lock in turn.
    struct Totals {
        var counters = CacheCounters()
        var bytes = 0
        var entries = 0
        var limit = 0
        var windowBytes = 0.0
        var sketchBytes = 0
    }

    func totals() -> Totals {
        var sum = Totals()
        for box in shards {
            box.state.withLock { shard in
                sum.counters = sum.counters + shard.counters
                sum.bytes += shard.bytes
                sum.entries += shard.count
                sum.limit += shard.limit
                sum.windowBytes += shard.windowShare * Double(shard.limit)
                sum.sketchBytes += shard.sketch.bytes
            }
        }
        return sum
    }

    /// What the cache holds and what it did, over its life and the recent window.
    public var statistics: CacheStatistics { statistics(totals()) }

    func statistics(_ sum: Totals) -> CacheStatistics {
        let now = ContinuousClock.now
        let (since, base, start) = window.withLock { window in
            window.advance(to: sum.counters, at: now)
            return (window.previous.at, window.previous.totals, window.start)
        }
        let share = sum.limit > 0 ? sum.windowBytes / Double(sum.limit) : WindowClimber.initialShare
        return CacheStatistics(
            name: name, bytes: ByteCount(Int64(sum.bytes)), capacity: ByteCount(Int64(sum.limit)), entries: sum.entries,
            lifetime: CacheActivity(sum.counters, seconds: StatisticsWindow.seconds(now - start)),
            recent: CacheActivity(sum.counters - base, seconds: StatisticsWindow.seconds(now - since)),
            windowShare: policy == .wTinyLFU ? share : nil, sketchBytes: sum.sketchBytes)
    }

    /// One line for logs: `cache 1.9/2.0 GiB · hit 85% · evict 4% · window 1%`.
    public var status: String { statistics.status }

    /// Work done every 256 insertions per shard: poll the pressure signal, advance the statistics
    /// window, take a hill-climbing sample when one is due.
    @usableFromInline
    func periodic() {
        checkPressure()
        let sum = totals()
        _ = statistics(sum)
        climb(sum.counters, entries: sum.entries, bytes: sum.bytes, limit: sum.limit)
    }
}
