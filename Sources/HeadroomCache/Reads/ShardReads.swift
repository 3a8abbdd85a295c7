import Synchronization

/// The part of a shard that readers use without its lock: the address of the
/// current key index, and per read stripe a small lossy ring of accesses.
///
/// A hit found without the lock cannot update the policy (recency lists,
/// CLOCK bits, frequency sketch) without writing lines another core is using,
/// so, as in Caffeine, it records the access in its stripe's ring and the
/// policy applies the records in order when that thread next holds the lock
/// (its next miss or insert on this shard, or when the ring fills and the lock
/// is free). A full ring drops records, which only makes the policy a little
/// less informed. The ring's tail counts every hit, dropped or not, so it
/// doubles as the stripe's hit counter.
@usableFromInline
final class ShardReads: @unchecked Sendable {
    // @unchecked Sendable: `table` is an `Atomic`; `words` is a buffer of `Atomic`s,
    // used only through atomic operations; a ring's tail and records are stored
    // only by the thread owning its stripe (``currentReadStripe()``), its head
    // only under the owning shard's `Mutex`.
    let leading: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// The address of the shard's current ``IndexTable`` (the shard holds the reference).
    @usableFromInline let table: Atomic<UInt>
    @usableFromInline let words: UnsafeMutablePointer<Atomic<Int>>
    let middle: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Odd while the shard's writer moves entries between slots (a deletion
    /// shifting a probe run back); bumped twice per deletion. A reader that
    /// found nothing trusts the miss only if this did not change meanwhile.
    @usableFromInline let moves = Atomic<Int>(0)
    let trailing: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    /// Words per stripe: tail, head and misses on one line, sixteen two-word
    /// records (hash, node + 1 or 0 for a miss) on the next four, padding, so
    /// no two stripes share a cache line.
    @usableFromInline static var stride: Int { 48 }
    @usableFromInline static var ringSize: Int { 16 }

    @usableFromInline
    init(table: IndexTable) {
        self.table = Atomic(table.bits)
        let count = readStripeCount * Self.stride
        words = .allocate(capacity: count)
        for i in 0..<count { (words + i).initialize(to: Atomic<Int>(0)) }
    }

    deinit {
        words.deinitialize(count: readStripeCount * Self.stride)
        words.deallocate()
    }

    /// Records a request in `stripe`'s ring: a hit on `node`, or a miss if
    /// `node` is -1, for the key with this hash. Returns whether the ring is
    /// full, so the caller should apply it if the lock is free.
    @inlinable @inline(__always)
    func record(node: Int32, hash: Int, stripe: Int) -> Bool {
        let base = stripe &* Self.stride
        // Only this stripe's owner stores the tail and misses, so no read-modify-write is needed.
        let tail = words[base].load(ordering: .relaxed)
        let used = UInt(bitPattern: tail &- words[base &+ 1].load(ordering: .acquiring))
        if used < UInt(Self.ringSize) {
            let slot = base &+ 8 &+ (tail & (Self.ringSize - 1)) &* 2
            words[slot].store(hash, ordering: .relaxed)
            words[slot &+ 1].store(Int(node &+ 1), ordering: .relaxed)
        }
        if node < 0 { words[base &+ 2].store(words[base &+ 2].load(ordering: .relaxed) &+ 1, ordering: .relaxed) }
        words[base].store(tail &+ 1, ordering: .releasing)
        return used >= UInt(Self.ringSize - 1)
    }

    /// Requests counted by all rings: (hits, misses).
    var requests: (hits: Int, misses: Int) {
        var hits = 0
        var misses = 0
        for stripe in 0..<readStripeCount {
            let missed = words[stripe * Self.stride + 2].load(ordering: .relaxed)
            hits += words[stripe * Self.stride].load(ordering: .relaxed) - missed
            misses += missed
        }
        return (hits, misses)
    }
}
