extension CacheShard {
    /// Drops the entries whose deadlines have passed, earliest first; each counts as an expiration.
    /// O(log n) per entry dropped, and a comparison when none is due.
    @inlinable mutating func reclaimExpired(now: Int64, _ expiry: ShardExpiry) {
        guard expiry.nextDue <= now else { return }
        while expiry.nextDue <= now {
            let due = expiry.popMin()
            let i = due.node
            guard Int(i) < nodes.count, nodes[Int(i)].segment != .free else { continue }
            if expiry.isExpired(i, now: now) {
                discard(i, evicted: false)
                counters.expirations += 1
            } else if expiry.deadlines[Int(i)] < .max, expiry.deadlines[Int(i)] != due.deadline {
                // Read since it was pushed: due again at its new deadline.
                expiry.push(.init(deadline: expiry.deadlines[Int(i)], node: i))
            }
        }
        if expiry.heap.count > 2 * entryCount + 64 { expiry.rebuild() }
    }

    /// Now, by the expiry clock, after reclaiming what is due; 0 when the cache has no expiry.
    @inlinable mutating func expiryNow() -> Int64 {
        guard let expiry else { return 0 }
        let now = expiry.clock.nanoseconds()
        reclaimExpired(now: now, expiry)
        return now
    }
}
