extension CacheShard {
    /// The window's share of a shard's bytes at the start: W-TinyLFU's 1%.
    @usableFromInline static var initialWindowShare: Double { 0.01 }
    /// The largest share the window may take: nearly all, so a recency-heavy workload gets LRU's hits.
    @usableFromInline static var maximumWindowShare: Double { 0.99 }

    /// Moves the window's share on a miss, as ARC moves its target on its ghost lists: a key the
    /// window refused recently means a larger window would have hit, so the share grows by one
    /// entry's worth (if the window has hit since it last grew, see ``WindowAdaptation``); a key
    /// main evicted recently means a larger main would have, so it shrinks by one entry's worth.
    /// Between 0% and ``maximumWindowShare``; the lists follow at the next insert (the window
    /// drains into main through admission, or main evicts). Then answers a shift of the popular set,
    /// the end of one, or a window that did not hit (``WindowAdaptation``).
    @inlinable mutating func ghostCheck(_ hash: Int) {
        let step = 1.0 / Double(max(entryCount, 1))
        // A window too small for one entry never hits, so it could never show that it should grow:
        // it holds at least one (a 1% window of a 50-entry shard would hold none).
        if entryCount > 0, windowLimit < bytes / entryCount {
            windowLimit = bytes / entryCount
            protectedLimit = (limit - windowLimit) * 8 / 10
        }
        let returning = windowGhost.contains(hash)
        if returning {
            if adaptation.windowHits > 0, windowShare < Self.maximumWindowShare,
               adaptation.allowGrowth(by: step, entries: entryCount) {
                adaptation.windowHits = 0
                setWindowShare(windowShare + step)
            }
        } else if mainGhost.contains(hash), windowShare > 0 {
            setWindowShare(windowShare - step)
        }
        let verdict = adaptation.miss(returning: returning, entries: entryCount, share: windowShare)
            ?? adaptation.endPeriod(requests: counters.hits + counters.misses, entries: entryCount, share: windowShare)
        switch verdict {
        case .shift: forgetPopularSet()
        case .settled(let share): setWindowShare(min(windowShare, share))
        case .idleWindow: setWindowShare(windowShare / 2)
        case nil: break
        }
    }

    @inlinable mutating func setWindowShare(_ share: Double) {
        windowShare = min(max(share, 0), Self.maximumWindowShare)
        windowLimit = Int(Double(limit) * windowShare)
        protectedLimit = (limit - windowLimit) * 8 / 10
    }

    /// After a shift: forgets every frequency, demotes protected to probation (so the old popular
    /// entries are the first victims, and no longer outrank anything), and opens the window.
    @inlinable mutating func forgetPopularSet() {
        sketch.clear()
        while lists[2].tail >= 0 {
            let demoted = lists[2].tail
            unlink(demoted)
            nodes[Int(demoted)].referenced = false
            pushFront(demoted, .probation)
        }
        if windowShare < WindowAdaptation.shiftWindowShare { setWindowShare(WindowAdaptation.shiftWindowShare) }
    }
}
