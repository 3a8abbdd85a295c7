extension CacheShard {
    /// The window's share of a shard's bytes at the start: W-TinyLFU's 1%.
    @usableFromInline static var initialWindowShare: Double { 0.01 }
    /// The largest share the window may take.
    @usableFromInline static var maximumWindowShare: Double { 0.80 }
    /// How much more a miss on a key main evicted weighs than a miss on one the window refused.
    /// Measured on the test traces: 1 let Zipf traces grow the window to three quarters and lose
    /// six points; 2 keeps their window near 1% and gives the recency trace 99% of LRU's hits.
    @usableFromInline static var mainGhostWeight: Double { 2 }

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
