import Synchronization

/// A shard behind its own lock; a class so an array can hold the non-copyable `Mutex`.
@usableFromInline
final class ShardBox<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// Keeps the lock and the shard's hot fields off the cache lines of the
    /// neighbouring shard, so two cores working on two shards do not share a line.
    let leading: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// The shard's lock-free side (the same object as the shard's `reads`).
    /// Before the lock and padded from it: every read loads these, and the
    /// shard's fields after the lock are written by every locked operation.
    @usableFromInline let reads: ShardReads
    /// The cache's reclamation epochs.
    @usableFromInline let epochs: ReadEpochs
    let separation: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    @usableFromInline let state: Mutex<CacheShard<Key, Value>>
    let trailing: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    init(_ shard: consuming sending CacheShard<Key, Value>) {
        reads = shard.reads
        epochs = shard.epochs
        state = Mutex(shard)
    }

    deinit {
        state.withLock { $0.releaseAll() }
    }

    /// The value for a key, counting a hit or a miss and recording the request for the policy.
    ///
    /// Why a hit takes no lock: with two threads on one cache, every locked
    /// get wrote the lock's cache line (and the policy's), so hot keys moved
    /// lines between the cores on every request, and two threads did 0.24× the
    /// work of one. Now a hit probes the index (atomic slots of immutable
    /// entries), copies the value inside an epoch read section, and records the
    /// access in this thread's ring (``ShardReads``): it writes only lines of its
    /// own stripe, with one locked instruction (the epoch announcement). The policy applies the records under the lock later, in order,
    /// so one thread's policy decisions are the same as before. A miss takes
    /// the lock, applies this thread's records first, and looks again.
    @inlinable @inline(__always)
    func value(forKey key: Key, hash: Int, stripe: Int) -> Value? {
        guard stripe >= 0 else { return state.withLock { $0.get(key, hash: hash) } }
        epochs.enter(stripe)
        var full = false
        if let found = probe(key, hash: hash, stripe: stripe, full: &full) {
            epochs.leave(stripe)
            if full { _ = state.withLockIfAvailable { $0.applyReads(stripe) } }
            return found
        }
        // A miss is certain if a second probe misses too and no entry moved
        // between slots meanwhile (a grown table keeps every entry it had).
        let moves = reads.moves.load(ordering: .sequentiallyConsistent)
        if moves & 1 == 0 {
            let again = probe(key, hash: hash, stripe: stripe, full: &full)
            if again == nil, reads.moves.load(ordering: .sequentiallyConsistent) == moves {
                epochs.leave(stripe)
                if reads.record(node: -1, hash: hash, stripe: stripe) {
                    _ = state.withLockIfAvailable { $0.applyReads(stripe) }
                }
                return nil
            }
            if let again {
                epochs.leave(stripe)
                if full { _ = state.withLockIfAvailable { $0.applyReads(stripe) } }
                return again
            }
        }
        epochs.leave(stripe)
        return state.withLock { shard in
            shard.applyReads(stripe)
            return shard.get(key, hash: hash)
        }
    }

    /// Looks the key up in the current index without the lock; on a hit, records
    /// it in the stripe's ring and copies the value. Call inside a read section.
    @inlinable @inline(__always)
    func probe(_ key: Key, hash: Int, stripe: Int, full: inout Bool) -> Value? {
        let bits = reads.table.load(ordering: .sequentiallyConsistent)
        return Unmanaged<IndexTable>.fromOpaque(UnsafeRawPointer(bitPattern: bits).unsafelyUnwrapped)
            ._withUnsafeGuaranteedRef { table in
                let mask = table.mask
                var slot = hash & mask
                var probes = mask
                let tag = IndexTable.tag(hash)
                while probes >= 0 {
                    let bits = table.slots[slot].load(ordering: .sequentiallyConsistent)
                    if bits == 0 { return nil }
                    if bits & 15 == tag {
                        let value: Value? = CacheEntry<Key, Value>.at(bits)._withUnsafeGuaranteedRef { entry in
                            guard entry.hash == hash, entry.key == key else { return nil }
                            full = reads.record(node: entry.node, hash: hash, stripe: stripe)
                            return entry.value
                        }
                        if value != nil { return value }
                    }
                    slot = (slot &+ 1) & mask
                    probes &-= 1
                }
                return nil
            }
    }
}
