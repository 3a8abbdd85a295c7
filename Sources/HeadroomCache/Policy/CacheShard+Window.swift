extension CacheShard {
    /// The window's share of a shard's bytes at the start: W-TinyLFU's 1%.
    @usableFromInline static var initialWindowShare: Double { 0.01 }
    /// The largest share the window may take: nearly all, so a recency-heavy workload gets LRU's hits.
    @usableFromInline static var maximumWindowShare: Double { 0.99 }
    /// How much more a miss on a key main evicted weighs than a miss on one the window refused.
    /// Measured (docs/caching.md): at 1 Zipf traces grow their window to three quarters and lose
    /// six points; at 2 the shifting trace keeps a 1% window and trails ARC by 4–5 points; 1.5
    /// keeps Zipf at 1–3% and lets the shifting trace open its window.
    @usableFromInline static var mainGhostWeight: Double { 1.5 }

    /// Moves the window's share on a miss, as ARC moves its target on its ghost lists: a key the
    /// window refused recently means a larger window would have hit, so the share grows by one
    /// entry's worth; a key main evicted recently means a larger main would have, so it shrinks by
    /// ``mainGhostWeight`` entries' worth. Between 0% and ``maximumWindowShare``; the lists follow
    /// at the next insert (the window drains into main through admission, or main evicts).
    @inlinable mutating func ghostCheck(_ hash: Int) {
        let step = 1.0 / Double(max(entryCount, 1))
        if windowGhost.contains(hash) {
            guard windowShare < Self.maximumWindowShare else { return }
            windowShare = min(windowShare + step, Self.maximumWindowShare)
        } else if mainGhost.contains(hash) {
            guard windowShare > 0 else { return }
            windowShare = max(windowShare - Self.mainGhostWeight * step, 0)
        } else {
            return
        }
        windowLimit = Int(Double(limit) * windowShare)
        protectedLimit = (limit - windowLimit) * 8 / 10
    }
}

