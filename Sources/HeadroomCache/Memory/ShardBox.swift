import Synchronization

/// A shard behind its own lock; a class so an array can hold the non-copyable `Mutex`.
@usableFromInline
final class ShardBox<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// Keeps the lock and the shard's hot fields off the cache lines of the
    /// neighbouring shard, so two cores working on two shards do not share a line.
    let leading: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    @usableFromInline let state: Mutex<CacheShard<Key, Value>>
    /// The shard's lock-free side (the same object as the shard's `reads`).
    @usableFromInline let reads: ShardReads
    /// The cache's reclamation epochs.
    @usableFromInline let epochs: ReadEpochs
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
        let bits = reads.table.load(ordering: .sequentiallyConsistent)
        let found: Value? = Unmanaged<IndexTable>.fromOpaque(UnsafeRawPointer(bitPattern: bits).unsafelyUnwrapped)
            ._withUnsafeGuaranteedRef { table in
                let mask = table.mask
                var slot = hash & mask
                var probes = mask
                let tag = IndexTable.tag(hash)
                while probes >= 0 {
                    let bits = table.slots[slot].load(ordering: .sequentiallyConsistent)
                    if bits == 0 { return nil }
                    if bits & 15 != tag {
                        slot = (slot &+ 1) & mask
                        probes &-= 1
                        continue
                    }
                    let value: Value? = CacheEntry<Key, Value>.at(bits)._withUnsafeGuaranteedRef { entry in
                        guard entry.hash == hash, entry.key == key else { return nil }
                        full = reads.record(node: entry.node, hash: hash, stripe: stripe)
                        return entry.value
                    }
                    if value != nil { return value }
                    slot = (slot &+ 1) & mask
                    probes &-= 1
                }
                return nil
            }
        epochs.leave(stripe)
        if let found {
            if full { _ = state.withLockIfAvailable { $0.applyReads(stripe) } }
            return found
        }
        return state.withLock { shard in
            shard.applyReads(stripe)
            return shard.get(key, hash: hash)
        }
    }
}
