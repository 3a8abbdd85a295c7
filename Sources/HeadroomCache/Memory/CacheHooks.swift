/// What a ``MemoryCache`` calls outside its locks: the disk tier below it and the
/// registry above it. Fixed at creation, so the cache stays immutable and `Sendable`.
@usableFromInline
struct CacheHooks<Key: Sendable, Value: Sendable>: Sendable {
    /// Writes an evicted (or oversized) entry to the disk tier.
    @usableFromInline var spill: (@Sendable (Key, Value) -> Void)?
    /// Reads an entry back from the disk tier, with its cost.
    @usableFromInline var load: (@Sendable (Key) -> (Value, Int)?)?
    /// Removes a key from the disk tier.
    @usableFromInline var forget: (@Sendable (Key) -> Void)?
    /// Empties the disk tier.
    @usableFromInline var forgetAll: (@Sendable () -> Void)?
    /// Entries at least this large go straight to disk instead of RAM.
    @usableFromInline var spillThreshold: Int?
    /// Called after the cache grew, so a registry can keep the shared budget.
    @usableFromInline var grew: (@Sendable () -> Void)?

    init(spill: (@Sendable (Key, Value) -> Void)? = nil, load: (@Sendable (Key) -> (Value, Int)?)? = nil,
         forget: (@Sendable (Key) -> Void)? = nil, forgetAll: (@Sendable () -> Void)? = nil,
         spillThreshold: Int? = nil, grew: (@Sendable () -> Void)? = nil) {
        self.spill = spill
        self.load = load
        self.forget = forget
        self.forgetAll = forgetAll
        self.spillThreshold = spillThreshold
        self.grew = grew
    }
}
