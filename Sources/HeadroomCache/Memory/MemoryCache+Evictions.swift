import HeadroomCore

extension MemoryCache {
    /// A cache that tells `evicted` about each entry it evicts (to make room, or by
    /// ``trim(toBytes:)`` or pressure), outside its locks, in the evicting thread.
    ///
    /// For a caller that keeps the values itself and uses the cache as the policy:
    /// the C interface stores a byte-free marker per key and its Python side drops
    /// the object of every key reported here.
    public static func reportingEvictions(capacity: ByteCount, countLimit: Int? = nil, policy: CachePolicy = .wTinyLFU,
                                          name: String = "cache",
                                          evicted: @escaping @Sendable (Key) -> Void) -> MemoryCache {
        MemoryCache(capacity: capacity, countLimit: countLimit, policy: policy, shards: nil, name: name, pressure: nil,
                    statisticsWindow: .seconds(60), cost: nil, hooks: CacheHooks(spill: { key, _ in evicted(key) }))
    }
}
