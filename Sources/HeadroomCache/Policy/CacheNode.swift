/// Where an entry lives in a shard: the W-TinyLFU window (also the single LRU
/// list under `.lru`), main probation, main protected, or a free slot.
enum Segment: Int {
    case window = 0
    case probation = 1
    case protected = 2
    case free = 3
}

/// One slot of a shard's node array; `previous` and `next` are indexes into
/// the same array (-1 for none), so the lists are intrusive and allocate nothing
/// per entry.
struct CacheNode<Key, Value> {
    var key: Key?
    var value: Value?
    var cost: Int
    var hash: Int
    /// Toward the most recently used end.
    var previous: Int32
    /// Toward the least recently used end.
    var next: Int32
    var segment: Segment
}

/// The ends and totals of one intrusive list.
struct ListHead {
    /// The most recently used node, or -1.
    var head: Int32 = -1
    /// The least recently used node, or -1.
    var tail: Int32 = -1
    var bytes = 0
    var count = 0
}
