/// Where an entry lives in a shard: the W-TinyLFU window (also the single LRU
/// list under `.lru`), main probation, main protected, or a free slot.
@usableFromInline
enum Segment: Int {
    case window = 0
    case probation = 1
    case protected = 2
    case free = 3
}

/// One slot of a shard's node array; `previous` and `next` are indexes into
/// the same array (-1 for none), so the lists are intrusive and allocate nothing
/// per entry.
@usableFromInline
struct CacheNode<Key, Value> {
    @usableFromInline var key: Key?
    @usableFromInline var value: Value?
    @usableFromInline var cost: Int
    @usableFromInline var hash: Int
    /// Toward the most recently used end.
    @usableFromInline var previous: Int32
    /// Toward the least recently used end.
    @usableFromInline var next: Int32
    @usableFromInline var segment: Segment
    /// Set by a hit in the window or protected area under W-TinyLFU (a CLOCK
    /// bit): the entry gets a second chance at the cold end instead of being
    /// moved on every hit, so a hit on a hot key writes nothing but the lock's line.
    @usableFromInline var referenced = false

    @inlinable
    init(key: Key?, value: Value?, cost: Int, hash: Int, previous: Int32, next: Int32, segment: Segment) {
        self.key = key
        self.value = value
        self.cost = cost
        self.hash = hash
        self.previous = previous
        self.next = next
        self.segment = segment
    }
}

/// The ends and totals of one intrusive list.
@usableFromInline
struct ListHead {
    /// The most recently used node, or -1.
    @usableFromInline var head: Int32 = -1
    /// The least recently used node, or -1.
    @usableFromInline var tail: Int32 = -1
    @usableFromInline var bytes = 0
    @usableFromInline var count = 0

    @inlinable
    init() {}
}
