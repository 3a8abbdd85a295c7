/// What a cache did over a span: its life, or the recent window.
public struct CacheActivity: Sendable, Equatable {
    /// Lookups that found a value in RAM.
    public var hits: Int
    /// Lookups that found nothing in RAM (a disk-tier hit is also a miss here).
    public var misses: Int
    /// Misses in RAM answered by the disk tier.
    public var diskHits: Int
    /// Values stored (new keys and replacements).
    public var insertions: Int
    /// Values refused: too large, or not admitted by W-TinyLFU.
    public var rejections: Int
    /// Entries pushed out to make room (or by a trim or pressure).
    public var evictions: Int
    /// Bytes of the evicted entries.
    public var evictedBytes: Int
    /// Entries dropped because their time to live or to idle ran out (not counted as evictions).
    public var expirations: Int
    /// The span covered, in seconds.
    public var seconds: Double

    init(_ counters: CacheCounters, seconds: Double) {
        hits = counters.hits
        misses = counters.misses
        diskHits = counters.diskHits
        insertions = counters.insertions
        rejections = counters.rejections
        evictions = counters.evictions
        evictedBytes = counters.evictedBytes
        expirations = counters.expirations
        self.seconds = seconds
    }

    /// Hits plus misses.
    public var lookups: Int { hits + misses }

    /// Hits as a share of lookups, 0 to 1 (0 with no lookups).
    public var hitRate: Double { lookups == 0 ? 0 : Double(hits) / Double(lookups) }

    /// Evictions per lookup, 0 to 1 and above: how much the cache churns.
    public var evictionRate: Double { lookups == 0 ? 0 : Double(evictions) / Double(lookups) }
}
