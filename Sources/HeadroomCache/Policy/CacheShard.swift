/// One lock's worth of a ``MemoryCache``: a key index, the node array, three
/// intrusive lists and the frequency sketch. Every operation is O(1), amortized
/// where a table grows, the sketch halves or a CLOCK pass runs.
///
/// Not thread-safe by itself; ``MemoryCache`` keeps each shard in a `Mutex`.
@usableFromInline
struct CacheShard<Key: Hashable, Value> {
    /// First, so the counters a hit writes share a cache line with the lock word.
    @usableFromInline var counters = CacheCounters()
    /// Node indexes by hash (see CacheShard+Index.swift); -1 marks an empty slot.
    @usableFromInline var slots = [Int32](repeating: -1, count: 16)
    @usableFromInline var slotMask = 15
    @usableFromInline var entryCount = 0
    @usableFromInline var nodes: [CacheNode<Key, Value>] = []
    @usableFromInline var free: [Int32] = []
    @usableFromInline var lists = [ListHead(), ListHead(), ListHead()]
    @usableFromInline var sketch: FrequencySketch
    /// Insert calls, for the cache's periodic work every 1024.
    @usableFromInline var stores = 0
    @usableFromInline let policy: CachePolicy
    /// The bytes this shard may hold now (lowered under pressure or by a trim).
    @usableFromInline var limit: Int
    /// The entries this shard may hold.
    @usableFromInline let countLimit: Int
    @usableFromInline var windowLimit: Int
    @usableFromInline var protectedLimit: Int
    /// The window's share of the limit, as misses on recently refused or evicted keys move it (W-TinyLFU only).
    @usableFromInline var windowShare = CacheShard.initialWindowShare
    /// Keys the window refused and keys main evicted, recently: what moves the window's share.
    @usableFromInline var windowGhost = GhostFilter(keys: 32)
    @usableFromInline var mainGhost = GhostFilter(keys: 32)
    /// The window's evidence and the detector of shifts in the popular set.
    @usableFromInline var adaptation = WindowAdaptation()
    /// Evicted entries are collected here when the cache spills to disk.
    @usableFromInline var collectsEvicted = false
    @usableFromInline var evicted: [(Key, Value, Int)] = []
    /// Victim indexes gathered for one admission duel.
    @usableFromInline var scratch: [Int32] = []
    /// Deadlines, when the cache expires entries.
    @usableFromInline var expiry: ShardExpiry?

    @inlinable init(limit: Int, countLimit: Int, policy: CachePolicy) {
        self.policy = policy
        self.limit = limit
        self.countLimit = countLimit
        windowLimit = 0
        protectedLimit = 0
        // Sized by the entries held, not the bytes: it starts at its smallest and grows as entries arrive.
        sketch = FrequencySketch(capacity: 1)
        setLimit(limit)
    }

    /// The largest entry the shard accepts: under W-TinyLFU an entry must fit the main area as it is
    /// with the initial 1% window (a larger window may refuse it at admission until it shrinks again).
    @inlinable var largestEntry: Int { policy == .wTinyLFU ? limit - limit / 100 : limit }

    /// Total bytes held.
    @inlinable var bytes: Int { lists[0].bytes + lists[1].bytes + lists[2].bytes }
    /// Entries held.
    @inlinable var count: Int { entryCount }

    /// Sets the byte limit and the window and protected shares derived from it.
    @inlinable mutating func setLimit(_ newLimit: Int) {
        limit = max(0, newLimit)
        windowLimit = policy == .wTinyLFU ? Int(Double(limit) * windowShare) : limit
        protectedLimit = (limit - windowLimit) * 8 / 10
    }

    /// Grows the sketch when the shard holds more keys than it was sized for (to the power of two
    /// at or above the count, so at most 16 bytes per entry held), carrying each resident's
    /// frequency over so nothing hot is forgotten. Its aging period grows with it.
    @inlinable mutating func growSketch() {
        let old = sketch
        sketch = FrequencySketch(capacity: entryCount)
        for node in nodes where node.segment != .free {
            for _ in 0..<old.frequency(node.hash) { sketch.increment(node.hash) }
        }
    }

    // MARK: Lists

    @inline(__always)
    @inlinable mutating func unlink(_ i: Int32) {
        let node = nodes[Int(i)]
        let s = node.segment.rawValue
        if node.previous >= 0 { nodes[Int(node.previous)].next = node.next } else { lists[s].head = node.next }
        if node.next >= 0 { nodes[Int(node.next)].previous = node.previous } else { lists[s].tail = node.previous }
        lists[s].bytes -= node.cost
        lists[s].count -= 1
    }

    @inline(__always)
    @inlinable mutating func pushFront(_ i: Int32, _ segment: Segment) {
        let s = segment.rawValue
        let head = lists[s].head
        nodes[Int(i)].segment = segment
        nodes[Int(i)].previous = -1
        nodes[Int(i)].next = head
        if head >= 0 { nodes[Int(head)].previous = i } else { lists[s].tail = i }
        lists[s].head = i
        lists[s].bytes += nodes[Int(i)].cost
        lists[s].count += 1
    }

    @inlinable mutating func allocate(key: Key, value: Value, cost: Int, hash: Int) -> Int32 {
        let node = CacheNode(key: key, value: value, cost: cost, hash: hash, previous: -1, next: -1, segment: .free)
        if !free.isEmpty {
            let i = free.removeLast()
            nodes[Int(i)] = node
            return i
        }
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    /// Unlinks a node, drops it from the index and frees its slot.
    @inlinable mutating func discard(_ i: Int32, evicted isEviction: Bool) {
        unlink(i)
        indexRemove(i)
        expiry?.freed(i)
        let node = nodes[Int(i)]
        if isEviction {
            counters.evictions += 1
            counters.evictedBytes += node.cost
            if collectsEvicted { evicted.append((node.key!, node.value!, node.cost)) }
        }
        nodes[Int(i)] = CacheNode(key: nil, value: nil, cost: 0, hash: 0, previous: -1, next: -1, segment: .free)
        free.append(i)
    }

    // MARK: Reads

    /// The value for a key, recording the request in the sketch and the hit or miss.
    @inlinable @inline(__always) mutating func get(_ key: Key, hash: Int) -> Value? {
        if policy == .wTinyLFU { sketch.increment(hash) }
        let now = expiryNow()
        let i = find(key, hash: hash)
        guard i >= 0 else {
            counters.misses += 1
            if policy == .wTinyLFU { ghostCheck(hash) }
            return nil
        }
        if let expiry {
            guard !expiry.isExpired(i, now: now) else {
                discard(i, evicted: false)
                counters.expirations += 1
                counters.misses += 1
                return nil
            }
            expiry.read(i, now: now)
        }
        counters.hits += 1
        touch(i)
        return nodes[Int(i)].value
    }

    /// The value for a key without recording a request or moving it.
    @inlinable func peek(_ key: Key, hash: Int) -> Value? {
        let i = find(key, hash: hash)
        guard i >= 0 else { return nil }
        if let expiry, expiry.isExpired(i, now: expiry.clock.nanoseconds()) { return nil }
        return nodes[Int(i)].value
    }

    /// Records a hit on an entry. Under LRU it moves to the front. Under
    /// W-TinyLFU an entry in probation moves to protected; one in the window or
    /// protected has its CLOCK bit set (written only if not set already), and is
    /// moved to the front when it reaches the cold end (``settledTail(_:)``).
    @inlinable mutating func touch(_ i: Int32) {
        switch nodes[Int(i)].segment {
        case .window where policy == .wTinyLFU:
            adaptation.windowHit()
            if !nodes[Int(i)].referenced { nodes[Int(i)].referenced = true }
        case .protected:
            if !nodes[Int(i)].referenced { nodes[Int(i)].referenced = true }
        case .window:
            guard lists[0].head != i else { return }
            unlink(i)
            pushFront(i, .window)
        case .probation:
            unlink(i)
            nodes[Int(i)].referenced = false
            pushFront(i, .protected)
            while lists[2].bytes > protectedLimit {
                let demoted = settledTail(2)
                guard demoted >= 0, demoted != i else { break }
                unlink(demoted)
                pushFront(demoted, .probation)
            }
        case .free:
            break
        }
    }

    /// The cold end of a list after giving each referenced entry there its
    /// second chance (bit cleared, moved to the front); at most one pass.
    /// Amortized O(1): each rotation uses up a bit that an earlier hit set.
    @inlinable mutating func settledTail(_ list: Int) -> Int32 {
        var tail = lists[list].tail
        var budget = lists[list].count
        while tail >= 0, nodes[Int(tail)].referenced, budget > 0 {
            nodes[Int(tail)].referenced = false
            unlink(tail)
            pushFront(tail, nodes[Int(tail)].segment)
            tail = lists[list].tail
            budget -= 1
        }
        return tail
    }

    /// Removes a key; returns its value.
    @inlinable mutating func remove(_ key: Key, hash: Int) -> Value? {
        let i = find(key, hash: hash)
        guard i >= 0 else { return nil }
        let value = nodes[Int(i)].value
        discard(i, evicted: false)
        return value
    }

    /// The entries evicted since the last call, for the disk tier.
    @inlinable mutating func takeEvicted() -> [(Key, Value, Int)] {
        guard !evicted.isEmpty else { return [] }
        defer { evicted = [] }
        return evicted
    }

    /// Drops every entry (the sketch and counters stay).
    @inlinable mutating func removeAll() {
        indexRemoveAll()
        nodes.removeAll()
        free.removeAll()
        if let expiry {
            expiry.deadlines.removeAll()
            expiry.liveUntil.removeAll()
            expiry.heap.removeAll()
        }
        lists = [ListHead(), ListHead(), ListHead()]
    }
}
