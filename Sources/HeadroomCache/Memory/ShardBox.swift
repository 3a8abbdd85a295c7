import Synchronization

/// A shard behind its own lock; a class so an array can hold the non-copyable `Mutex`.
final class ShardBox<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    let state: Mutex<CacheShard<Key, Value>>

    init(_ shard: consuming sending CacheShard<Key, Value>) {
        state = Mutex(shard)
    }
}
