import Synchronization

/// A shard's key index: open addressing with linear probing, each slot the
/// address of a ``CacheEntry`` with the top four bits of its hash in the low
/// four (objects are 16-byte aligned), or 0 for empty. The tag lets a probe
/// skip most entries of other keys without loading them. Slots are atomics so readers
/// without the lock may probe while the shard's writer inserts, deletes (by
/// shifting later entries of a run back) or replaces; a reader that races a
/// shift may miss a present key, and then takes the lock and looks again.
///
/// The table does not own the entries: the shard's nodes do, and a removed
/// entry is retired, not freed, until ``ReadEpochs`` says no reader can hold it.
@usableFromInline
final class IndexTable: @unchecked Sendable {
    // @unchecked Sendable: `slots` is a buffer of `Atomic`s, stored only by the
    // writer holding the owning shard's `Mutex`, loaded by anyone; `mask` is immutable.
    @usableFromInline let slots: UnsafeMutablePointer<Atomic<UInt>>
    @usableFromInline let mask: Int

    /// An empty table of `size` slots (a power of two).
    @usableFromInline
    init(size: Int) {
        slots = .allocate(capacity: size)
        for i in 0..<size { (slots + i).initialize(to: Atomic<UInt>(0)) }
        mask = size - 1
    }

    deinit {
        slots.deinitialize(count: mask + 1)
        slots.deallocate()
    }

    @inlinable var size: Int { mask + 1 }

    /// The address of this table, for ``ShardReads/table``.
    @inlinable var bits: UInt { UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque()) }

    /// The node of the entry holding `key`, or -1 (for the shard's writer, under its lock).
    @inlinable @inline(__always)
    func find<Key, Value>(_ key: Key, hash: Int, as _: CacheEntry<Key, Value>.Type) -> Int32 {
        var slot = hash & mask
        let tag = Self.tag(hash)
        while true {
            let bits = slots[slot].load(ordering: .relaxed)
            if bits == 0 { return -1 }
            if bits & 15 == tag {
                let node = CacheEntry<Key, Value>.at(bits)._withUnsafeGuaranteedRef {
                    $0.hash == hash && $0.key == key ? $0.node : -1
                }
                if node >= 0 { return node }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The slot holding the entry at `entry` (which the table holds).
    @inlinable @inline(__always)
    func slot(of entry: UInt, hash: Int) -> Int {
        let bits = Self.slotValue(entry, hash: hash)
        var slot = hash & mask
        while slots[slot].load(ordering: .relaxed) != bits { slot = (slot + 1) & mask }
        return slot
    }

    /// The four hash bits a slot keeps beside the entry's address.
    @inlinable @inline(__always)
    static func tag(_ hash: Int) -> UInt { UInt(bitPattern: hash) >> 60 }

    /// What a slot holds for the entry at `entry` with this hash.
    @inlinable @inline(__always)
    static func slotValue(_ entry: UInt, hash: Int) -> UInt { entry | tag(hash) }
}
