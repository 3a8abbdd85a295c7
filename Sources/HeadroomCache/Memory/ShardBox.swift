import Synchronization

/// A shard behind its own lock; a class so an array can hold the non-copyable `Mutex`.
@usableFromInline
final class ShardBox<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// Keeps the lock and the shard's hot fields off the cache lines of the
    /// neighbouring shard, so two cores working on two shards do not share a line.
    let leading: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    @usableFromInline let state: Mutex<CacheShard<Key, Value>>
    let trailing: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    init(_ shard: consuming sending CacheShard<Key, Value>) {
        state = Mutex(shard)
    }
}
