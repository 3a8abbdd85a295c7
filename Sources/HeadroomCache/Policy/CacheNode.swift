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
struct CacheNode<Key: Hashable & Sendable, Value: Sendable> {
    /// The address of the ``CacheEntry`` holding the key and value, shared with
    /// lock-free readers through the key index; 0 when free. The node owns one
    /// reference to it (taken at allocation, given up when the shard frees the
    /// retired entry), so copying a node costs no reference counting.
    @usableFromInline var entry: UInt
    @usableFromInline var cost: Int
    @usableFromInline var hash: Int
    /// Toward the most recently used end.
    @usableFromInline var previous: Int32
    /// Toward the least recently used end.
    @usableFromInline var next: Int32
    @usableFromInline var segment: Segment
    /// Set by a hit in the window or protected area under W-TinyLFU (a CLOCK
    /// bit): the entry gets a second chance at the cold end instead of being
    /// moved on every hit. Set when the shard applies a reader's recorded access.
    @usableFromInline var referenced = false

    @inlinable
    init(entry: UInt, cost: Int, hash: Int, previous: Int32, next: Int32, segment: Segment) {
        self.entry = entry
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
