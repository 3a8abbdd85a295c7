/// What a ``MemoryCache`` calls outside its locks: the disk tier below it and the
/// registry above it. Fixed at creation, so the cache stays immutable and `Sendable`.
struct CacheHooks<Key: Sendable, Value: Sendable>: Sendable {
    /// Writes an evicted (or oversized) entry to the disk tier.
    var spill: (@Sendable (Key, Value) -> Void)?
    /// Reads an entry back from the disk tier, with its cost.
    var load: (@Sendable (Key) -> (Value, Int)?)?
    /// Removes a key from the disk tier.
    var forget: (@Sendable (Key) -> Void)?
    /// Empties the disk tier.
    var forgetAll: (@Sendable () -> Void)?
    /// Entries at least this large go straight to disk instead of RAM.
    var spillThreshold: Int?
    /// Called after the cache grew, so a registry can keep the shared budget.
    var grew: (@Sendable () -> Void)?
}
