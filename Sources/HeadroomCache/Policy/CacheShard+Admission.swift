import HeadroomCore

extension CacheShard {
    /// Stores a value, then evicts until the shard is within its byte and count limits.
    /// `timeToLive` (nanoseconds) overrides the cache's for this entry, when it expires entries.
    @inlinable mutating func insert(_ key: Key, hash: Int, value: Value, cost: Int,
                                    timeToLive: Int64? = nil) -> InsertResult {
        let now = expiryNow()
        guard cost >= 0, cost <= largestEntry else {
            // A refused replacement must not leave the old value to be read as if current.
            _ = remove(key, hash: hash)
            counters.rejections += 1
            return cost < 0 ? .rejected(.invalidCost(cost))
                : .rejected(.tooLarge(cost: .init(Int64(cost)), limit: .init(Int64(largestEntry))))
        }
        let existing = find(key, hash: hash)
        if existing >= 0 {
            let i = existing
            let segment = nodes[Int(i)].segment
            lists[segment.rawValue].bytes += cost - nodes[Int(i)].cost
            nodes[Int(i)].cost = cost
            nodes[Int(i)].value = value
            counters.insertions += 1
            touch(i)
            expiry?.written(i, now: now, timeToLive: timeToLive)
            evictDirectly(sparing: i)
            return .replaced
        }
        let i = allocate(key: key, value: value, cost: cost, hash: hash)
        indexInsert(i)
        pushFront(i, .window)
        expiry?.written(i, now: now, timeToLive: timeToLive)
        if policy == .wTinyLFU {
            if entryCount > sketch.capacity, sketch.canGrow { growSketch() }
            if let refused = drainWindow(newest: i) {
                counters.rejections += 1
                return .rejected(refused)
            }
        }
        evictDirectly(sparing: i)
        counters.insertions += 1
        return .inserted
    }

    /// Moves entries from the window's cold end into main, each admitted only if
    /// it was requested more often than every entry it would displace. Returns the
    /// reason when the newest entry itself is refused.
    @inlinable mutating func drainWindow(newest: Int32) -> RejectionReason? {
        var refusal: RejectionReason?
        while lists[0].bytes > windowLimit, lists[0].tail >= 0 {
            let candidate = settledTail(0)
            unlink(candidate)
            if let reason = admit(candidate, sparing: newest) {
                windowGhost.add(nodes[Int(candidate)].hash, keys: entryCount)
                if candidate == newest {
                    refusal = reason
                    unlinkedDiscard(candidate)
                } else {
                    pushFront(candidate, .window)
                    discard(candidate, evicted: true)
                }
            }
        }
        return refusal
    }

    /// Drops a node that is already unlinked, without counting an eviction.
    @inlinable mutating func unlinkedDiscard(_ i: Int32) {
        indexRemove(i)
        expiry?.freed(i)
        nodes[Int(i)] = CacheNode(key: nil, value: nil, cost: 0, hash: 0, previous: -1, next: -1, segment: .free)
        free.append(i)
    }

    /// The admission duel for an unlinked window candidate: gathers victims from
    /// probation's cold end, then protected's, until the candidate fits the main
    /// area; admits it into probation if its frequency beats every victim's,
    /// evicting them. Returns the refusal reason otherwise (the candidate is left
    /// unlinked). `spared`, the entry the current insert stores, is never a
    /// victim. Comparing against every victim is what makes admission
    /// size-aware: a large entry must be hotter than each small one it displaces.
    @inlinable mutating func admit(_ candidate: Int32, sparing spared: Int32) -> RejectionReason? {
        let main = lists[1].bytes + lists[2].bytes + nodes[Int(candidate)].cost
        let excessBytes = main - (limit - windowLimit)
        let excessCount = entryCount - countLimit
        if excessBytes <= 0, excessCount <= 0 {
            pushFront(candidate, .probation)
            return nil
        }
        scratch.removeAll(keepingCapacity: true)
        var freedBytes = 0
        var freedCount = 0
        var strongest = 0
        var segment = 1
        var victim = lists[1].tail
        while freedBytes < excessBytes || freedCount < excessCount {
            if victim < 0 {
                segment += 1
                if segment > 2 { break }
                victim = settledTail(segment)
                continue
            }
            // The entry this insert stores may already sit in probation: never its own victim.
            if victim == spared {
                victim = nodes[Int(victim)].previous
                continue
            }
            strongest = max(strongest, sketch.frequency(nodes[Int(victim)].hash))
            freedBytes += nodes[Int(victim)].cost
            freedCount += 1
            scratch.append(victim)
            victim = nodes[Int(victim)].previous
        }
        let frequency = sketch.frequency(nodes[Int(candidate)].hash)
        let fits = freedBytes >= excessBytes && freedCount >= excessCount
        guard fits, frequency > strongest else {
            return .notAdmitted(frequency: frequency, victimFrequency: strongest)
        }
        for v in scratch {
            mainGhost.add(nodes[Int(v)].hash, keys: entryCount)
            discard(v, evicted: true)
        }
        pushFront(candidate, .probation)
        return nil
    }

    /// Evicts in recency order (probation, protected, then window; the single
    /// list under LRU) until the shard is within its limits, never the spared node.
    @inlinable mutating func evictDirectly(sparing spared: Int32) {
        while bytes > limit || entryCount > countLimit {
            var victim = coldest(1, sparing: spared)
            if victim < 0 { victim = coldest(2, sparing: spared) }
            if victim < 0 { victim = coldest(0, sparing: spared) }
            guard victim >= 0 else { return }
            if policy == .wTinyLFU {
                if nodes[Int(victim)].segment == .window {
                    windowGhost.add(nodes[Int(victim)].hash, keys: entryCount)
                } else {
                    mainGhost.add(nodes[Int(victim)].hash, keys: entryCount)
                }
            }
            discard(victim, evicted: true)
        }
    }

    @inline(__always)
    @inlinable mutating func coldest(_ list: Int, sparing spared: Int32) -> Int32 {
        let v = settledTail(list)
        return v == spared && v >= 0 ? nodes[Int(v)].previous : v
    }

    /// Evicts in policy order until the shard holds at most `target` bytes.
    @inlinable mutating func trim(toBytes target: Int) {
        let saved = limit
        limit = max(0, target)
        evictDirectly(sparing: -1)
        limit = saved
    }

    /// Lowers or restores the limit, evicting what no longer fits.
    @inlinable mutating func resize(toBytes newLimit: Int) {
        setLimit(newLimit)
        evictDirectly(sparing: -1)
    }
}
