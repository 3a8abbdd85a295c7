/// What a ``DiskTier`` did since it was opened.
public struct DiskTierStatistics: Sendable, Equatable {
    /// Reads that found a valid entry.
    public var hits = 0
    /// Reads that found nothing, or a corrupt file.
    public var misses = 0
    /// Entries written.
    public var writes = 0
    /// Writes that failed (the disk full, the directory gone).
    public var failedWrites = 0
    /// Entries not written because they were larger than the whole tier.
    public var rejected = 0
    /// Files removed to stay within the byte budget.
    public var evictions = 0
    /// Files that failed their checks (truncated, flipped bytes) and were removed.
    public var corrupt = 0
}
