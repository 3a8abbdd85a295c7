/// Running totals a shard keeps under its lock; summed into ``CacheStatistics``.
@usableFromInline
struct CacheCounters: Sendable, Equatable {
    @usableFromInline var hits = 0
    @usableFromInline var misses = 0
    @usableFromInline var insertions = 0
    @usableFromInline var rejections = 0
    @usableFromInline var evictions = 0
    @usableFromInline var evictedBytes = 0
    @usableFromInline var diskHits = 0
    @usableFromInline var expirations = 0

    @inlinable
    init() {}

    init(hits: Int, misses: Int, insertions: Int, rejections: Int, evictions: Int, evictedBytes: Int, diskHits: Int,
         expirations: Int) {
        self.hits = hits
        self.misses = misses
        self.insertions = insertions
        self.rejections = rejections
        self.evictions = evictions
        self.evictedBytes = evictedBytes
        self.diskHits = diskHits
        self.expirations = expirations
    }

    static func + (lhs: CacheCounters, rhs: CacheCounters) -> CacheCounters {
        CacheCounters(hits: lhs.hits + rhs.hits, misses: lhs.misses + rhs.misses,
                      insertions: lhs.insertions + rhs.insertions, rejections: lhs.rejections + rhs.rejections,
                      evictions: lhs.evictions + rhs.evictions, evictedBytes: lhs.evictedBytes + rhs.evictedBytes,
                      diskHits: lhs.diskHits + rhs.diskHits, expirations: lhs.expirations + rhs.expirations)
    }

    static func - (lhs: CacheCounters, rhs: CacheCounters) -> CacheCounters {
        CacheCounters(hits: lhs.hits - rhs.hits, misses: lhs.misses - rhs.misses,
                      insertions: lhs.insertions - rhs.insertions, rejections: lhs.rejections - rhs.rejections,
                      evictions: lhs.evictions - rhs.evictions, evictedBytes: lhs.evictedBytes - rhs.evictedBytes,
                      diskHits: lhs.diskHits - rhs.diskHits, expirations: lhs.expirations - rhs.expirations)
    }
}
