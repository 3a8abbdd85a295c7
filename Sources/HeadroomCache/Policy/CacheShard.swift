import Synchronization

/// One lock's worth of a ``MemoryCache``: a key index, the node array, three
/// intrusive lists and the frequency sketch. Every operation is O(1), amortized
/// where a table grows, the sketch halves or a CLOCK pass runs.
///
/// Not thread-safe by itself; ``MemoryCache`` keeps each shard in a `Mutex`.
/// Only ``reads`` (the index's address and the access rings) and the index's
/// slots are touched by readers without the lock; see ``ShardReads``.
@usableFromInline
struct CacheShard<Key: Hashable & Sendable, Value: Sendable> {
    /// First, so the counters a hit writes share a cache line with the lock word.
    @usableFromInline var counters = CacheCounters()
    /// Entry addresses by hash (see CacheShard+Index.swift); 0 marks an empty slot.
    @usableFromInline var table: IndexTable
    /// What lock-free readers use: the table's address and the access rings.
    @usableFromInline let reads: ShardReads
    /// The cache's reclamation epochs, shared by its shards.
    @usableFromInline let epochs: ReadEpochs
    /// Entries and tables unlinked but perhaps still held by a reader, with the
    /// epoch read after unlinking and the entry's cost; oldest first.
    @usableFromInline var retired: [RetiredEntry] = []
    @usableFromInline var retiredTables: [(epoch: Int, table: IndexTable)] = []
    @usableFromInline var retiredCost = 0
    /// The retired count at which reclamation is next tried.
    @usableFromInline var nextReclaim = 32
    /// A sink for ``applyReads(_:)``'s first pass, so its loads are not optimized away.
    @usableFromInline var prefetched = 0
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
    /// Evicted entries are collected here when the cache spills to disk.
    @usableFromInline var collectsEvicted = false
    @usableFromInline var evicted: [(Key, Value, Int)] = []
    /// Victim indexes gathered for one admission duel.
    @usableFromInline var scratch: [Int32] = []

    @inlinable init(limit: Int, countLimit: Int, policy: CachePolicy, expectedCount: Int, epochs: ReadEpochs) {
        let table = IndexTable(size: 16)
        self.table = table
        reads = ShardReads(table: table)
        self.epochs = epochs
        self.policy = policy
        self.limit = limit
        self.countLimit = countLimit
        windowLimit = 0
        protectedLimit = 0
        sketch = FrequencySketch(capacity: policy == .wTinyLFU ? expectedCount : 1)
        setLimit(limit)
    }

    /// The largest entry the shard accepts: under W-TinyLFU an entry must fit the main area.
    @inlinable var largestEntry: Int { policy == .wTinyLFU ? limit - windowLimit : limit }

    /// Total bytes held.
    @inlinable var bytes: Int { lists[0].bytes + lists[1].bytes + lists[2].bytes }
    /// Entries held.
    @inlinable var count: Int { entryCount }

    /// Sets the byte limit and the window and protected shares derived from it.
    @inlinable mutating func setLimit(_ newLimit: Int) {
        limit = max(0, newLimit)
        windowLimit = policy == .wTinyLFU ? limit / 100 : limit
        protectedLimit = (limit - windowLimit) * 8 / 10
    }

    /// Grows the sketch when the shard holds more keys than it was sized for,
    /// carrying each resident's frequency over so nothing hot is forgotten.
    @inlinable mutating func growSketch() {
        let old = sketch
        sketch = FrequencySketch(capacity: entryCount * 2)
        for node in nodes where node.segment != .free {
            for _ in 0..<old.frequency(node.hash) { sketch.increment(node.hash) }
        }
    }

    // MARK: Lists

    @inline(__always)
    @inlinable mutating func unlink(_ i: Int32) {
        let previous = nodes[Int(i)].previous
        let next = nodes[Int(i)].next
        let s = nodes[Int(i)].segment.rawValue
        if previous >= 0 { nodes[Int(previous)].next = next } else { lists[s].head = next }
        if next >= 0 { nodes[Int(next)].previous = previous } else { lists[s].tail = previous }
        lists[s].bytes -= nodes[Int(i)].cost
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
        let i = free.isEmpty ? Int32(nodes.count) : free.removeLast()
        let entry = CacheEntry<Key, Value>.make(key: key, value: value, hash: hash, node: i)
        let node = CacheNode<Key, Value>(entry: entry, cost: cost, hash: hash, previous: -1, next: -1, segment: .free)
        if Int(i) < nodes.count { nodes[Int(i)] = node } else { nodes.append(node) }
        return i
    }

    /// Unlinks a node, drops it from the index and frees its slot.
    @inlinable mutating func discard(_ i: Int32, evicted isEviction: Bool) {
        unlink(i)
        indexRemove(i)
        let node = nodes[Int(i)]
        let entry = node.entry
        if isEviction {
            counters.evictions += 1
            counters.evictedBytes += node.cost
            if collectsEvicted {
                let (key, value) = CacheEntry<Key, Value>.contents(entry)
                evicted.append((key, value, node.cost))
            }
        }
        nodes[Int(i)] = CacheNode<Key, Value>(entry: 0, cost: 0, hash: 0, previous: -1, next: -1, segment: .free)
        free.append(i)
        retire(entry, cost: node.cost)
    }

    // MARK: Reclamation

    /// Keeps an unlinked entry (the address its node held) alive until no lock-free reader can hold it.
    @inlinable mutating func retire(_ entry: UInt, cost: Int) {
        retired.append(RetiredEntry(epoch: epochs.current, entry: entry, cost: cost))
        retiredCost += cost
        // Large values are freed promptly: retired bytes count toward no bound, so keep them few.
        if retired.count >= nextReclaim || retiredCost > limit / 16 { reclaim() }
    }

    /// Keeps an index table that was replaced alive until no lock-free reader can hold it.
    @usableFromInline mutating func retire(_ table: IndexTable) {
        retiredTables.append((epochs.current, table))
        reclaim()
    }

    /// Frees every entry this shard still owns (its nodes' and the retired
    /// ones); for the cache's deinit, when no reader is left.
    mutating func releaseAll() {
        for node in nodes where node.entry != 0 { CacheEntry<Key, Value>.at(node.entry).release() }
        for r in retired { CacheEntry<Key, Value>.at(r.entry).release() }
        nodes.removeAll()
        retired.removeAll()
        retiredTables.removeAll()
    }

    /// Frees what no reader can hold any more (see ``ReadEpochs``). Amortized
    /// O(1): tried again only after another 32 retirements (or a large value).
    @usableFromInline mutating func reclaim() {
        var done = retired.count
        if epochs.isQuiet() {
            retiredTables.removeAll()
        } else {
            let epoch = epochs.advance()
            done = 0
            while done < retired.count, retired[done].epoch &+ 2 <= epoch { done += 1 }
            while let first = retiredTables.first, first.epoch &+ 2 <= epoch { retiredTables.removeFirst() }
        }
        for r in retired[..<done] {
            retiredCost -= r.cost
            CacheEntry<Key, Value>.at(r.entry).release()
        }
        retired.removeFirst(done)
        nextReclaim = retired.count + 32
    }

    // MARK: Reads

    /// The value for a key, recording the request in the sketch and the hit or miss.
    @inlinable @inline(__always) mutating func get(_ key: Key, hash: Int) -> Value? {
        if policy == .wTinyLFU { sketch.increment(hash) }
        let i = find(key, hash: hash)
        guard i >= 0 else {
            counters.misses += 1
            return nil
        }
        counters.hits += 1
        touch(i)
        return CacheEntry<Key, Value>.value(nodes[Int(i)].entry)
    }

    /// Applies the accesses lock-free readers on `stripe` recorded (``ShardReads``), oldest first.
    @inlinable @inline(__always) mutating func applyReads(_ stripe: Int) {
        guard stripe >= 0 else { return }
        let base = stripe &* ShardReads.stride
        let words = reads.words
        let tail = words[base].load(ordering: .acquiring)
        var head = words[base &+ 1].load(ordering: .relaxed)
        guard tail != head else { return }
        let end = head &+ min(tail &- head, ShardReads.ringSize)
        // First touch every record's node and sketch block, with no dependence
        // between them, so their cache misses overlap instead of coming one by one.
        var touched = 0
        var next = head
        while next != end {
            let slot = base &+ 8 &+ (next & (ShardReads.ringSize - 1)) &* 2
            let i = words[slot &+ 1].load(ordering: .relaxed) &- 1
            if i >= 0, i < nodes.count { touched &+= nodes[i].hash }
            if policy == .wTinyLFU {
                let hash = words[slot].load(ordering: .relaxed)
                touched &+= Int(truncatingIfNeeded: sketch.table[sketch.positions(hash).block])
            }
            next &+= 1
        }
        prefetched = touched
        while head != end {
            let slot = base &+ 8 &+ (head & (ShardReads.ringSize - 1)) &* 2
            applyRead(hash: words[slot].load(ordering: .relaxed), node: words[slot &+ 1].load(ordering: .relaxed) &- 1)
            head &+= 1
        }
        words[base &+ 1].store(tail, ordering: .releasing)
    }

    /// One recorded request: the sketch counts it, and a hit's entry is
    /// touched (unless its node was freed since), as a get under the lock would have done.
    @inlinable mutating func applyRead(hash: Int, node i: Int) {
        if policy == .wTinyLFU { sketch.increment(hash) }
        guard i >= 0, i < nodes.count, nodes[i].segment != .free, nodes[i].hash == hash else { return }
        touch(Int32(truncatingIfNeeded: i))
    }

    /// The value for a key without recording a request or moving it.
    @inlinable func peek(_ key: Key, hash: Int) -> Value? {
        let i = find(key, hash: hash)
        guard i >= 0 else { return nil }
        return CacheEntry<Key, Value>.value(nodes[Int(i)].entry)
    }

    /// Records a hit on an entry. Under LRU it moves to the front. Under
    /// W-TinyLFU an entry in probation moves to protected; one in the window or
    /// protected has its CLOCK bit set (written only if not set already), and is
    /// moved to the front when it reaches the cold end (``settledTail(_:)``).
    @inlinable mutating func touch(_ i: Int32) {
        switch nodes[Int(i)].segment {
        case .window where policy == .wTinyLFU, .protected:
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
        let value = CacheEntry<Key, Value>.value(nodes[Int(i)].entry)
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
        for node in nodes where node.entry != 0 { retire(node.entry, cost: node.cost) }
        nodes.removeAll()
        free.removeAll()
        lists = [ListHead(), ListHead(), ListHead()]
    }
}

/// An entry unlinked from a shard, kept until no lock-free reader can hold it.
@usableFromInline
struct RetiredEntry {
    /// The epoch read after unlinking it.
    @usableFromInline var epoch: Int
    /// Its address; the shard owns one reference to it.
    @usableFromInline var entry: UInt
    @usableFromInline var cost: Int

    @inlinable
    init(epoch: Int, entry: UInt, cost: Int) {
        self.epoch = epoch
        self.entry = entry
        self.cost = cost
    }
}
