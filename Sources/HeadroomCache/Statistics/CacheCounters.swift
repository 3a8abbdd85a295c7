/// Running totals a shard keeps under its lock; summed into ``CacheStatistics``.
struct CacheCounters: Sendable, Equatable {
    var hits = 0
    var misses = 0
    var insertions = 0
    var rejections = 0
    var evictions = 0
    var evictedBytes = 0
    var diskHits = 0

    static func + (lhs: CacheCounters, rhs: CacheCounters) -> CacheCounters {
        CacheCounters(hits: lhs.hits + rhs.hits, misses: lhs.misses + rhs.misses,
                      insertions: lhs.insertions + rhs.insertions, rejections: lhs.rejections + rhs.rejections,
                      evictions: lhs.evictions + rhs.evictions, evictedBytes: lhs.evictedBytes + rhs.evictedBytes,
                      diskHits: lhs.diskHits + rhs.diskHits)
    }

    static func - (lhs: CacheCounters, rhs: CacheCounters) -> CacheCounters {
        CacheCounters(hits: lhs.hits - rhs.hits, misses: lhs.misses - rhs.misses,
                      insertions: lhs.insertions - rhs.insertions, rejections: lhs.rejections - rhs.rejections,
                      evictions: lhs.evictions - rhs.evictions, evictedBytes: lhs.evictedBytes - rhs.evictedBytes,
                      diskHits: lhs.diskHits - rhs.diskHits)
    }
}
