extension CacheShard {
    /// Takes a climbing sample once a sketch's aging period of requests (ten per key it is sized
    /// for) has passed since the last, and resizes the window to the climber's new share. Samples
    /// taken while the shard is under half full are dropped: a filling cache's hit rate says
    /// nothing about the window.
    @inlinable mutating func climbIfDue() {
        let hits = counters.hits - sampleStart.hits
        let misses = counters.misses - sampleStart.misses
        guard hits + misses >= sketch.sampleSize else { return }
        sampleStart = (counters.hits, counters.misses)
        guard bytes >= limit / 2 else { return }
        let share = climber.adjust(hits: hits, misses: misses)
        resizeWindow(to: Int(Double(limit) * share))
    }

    /// Sets the window's byte limit and moves entries to match, as Caffeine does: a smaller window
    /// hands its coldest entries to probation's hot end; a larger one takes probation's coldest
    /// (then protected's) into its hot end. At most 1,000 entries move at once; the window's own
    /// drain evens out the rest.
    @inlinable mutating func resizeWindow(to newLimit: Int) {
        windowLimit = newLimit
        protectedLimit = (limit - windowLimit) * 8 / 10
        var moves = 0
        while lists[0].bytes > windowLimit, lists[0].tail >= 0, moves < 1000 {
            let coldest = lists[0].tail
            unlink(coldest)
            pushFront(coldest, .probation)
            moves += 1
        }
        while moves < 1000 {
            let coldest = lists[1].tail >= 0 ? lists[1].tail : lists[2].tail
            guard coldest >= 0, lists[0].bytes + nodes[Int(coldest)].cost <= windowLimit else { break }
            unlink(coldest)
            pushFront(coldest, .window)
            moves += 1
        }
        while lists[2].bytes > protectedLimit, lists[2].tail >= 0 {
            let demoted = lists[2].tail
            unlink(demoted)
            pushFront(demoted, .probation)
        }
    }
}
