import HeadroomCore

/// A snapshot of a cache: what it holds and what it did, over its life and recently.
public struct CacheStatistics: Sendable, Equatable, CustomStringConvertible {
    /// The cache's name.
    public var name: String
    /// Bytes held now.
    public var bytes: ByteCount
    /// The byte bound now (lower than the configured capacity under pressure).
    public var capacity: ByteCount
    /// Entries held now.
    public var entries: Int
    /// Everything since the cache was created.
    public var lifetime: CacheActivity
    /// The recent window: from one to two statistics windows back until now.
    public var recent: CacheActivity
    /// The W-TinyLFU window's share of the bytes now, 0 to 0.99, as the policy adapted it to the
    /// workload (averaged over shards by their limits); nil under LRU.
    public var windowShare: Double?
    /// Shifts of the popular set the policy detected and answered by forgetting its frequencies
    /// (the most any shard saw; 0 under LRU).
    public var popularShifts: Int = 0
    /// The bytes the frequency sketches take (sized by the entries held, at most 16 bytes each at the peak).
    public var sketchBytes: Int

    /// One line for logs: `cache 1.9/2.0 GiB · hit 85% · evict 4% · window 1%`, rates over the recent
    /// window; then the W-TinyLFU window's share (absent under LRU) and, once there were any, the
    /// shifts of the popular set it detected (`· 2 shifts`).
    public var status: String {
        let gib = 1_073_741_824.0
        let mib = 1_048_576.0
        let (unit, scale) = capacity.doubleValue >= gib ? ("GiB", gib) : capacity.doubleValue >= mib ? ("MiB", mib) : ("KiB", 1024.0)
        let used = (bytes.doubleValue / scale).fixed(1)
        let whole = (capacity.doubleValue / scale).fixed(1)
        let hit = Int((recent.hitRate * 100).rounded())
        let evict = Int((recent.evictionRate * 100).rounded())
        let line = "\(name) \(used)/\(whole) \(unit) · hit \(hit)% · evict \(evict)%"
        guard let windowShare else { return line }
        let shifts = popularShifts == 0 ? "" : " · \(popularShifts) shift\(popularShifts == 1 ? "" : "s")"
        return line + " · window \(Int((windowShare * 100).rounded()))%" + shifts
    }

    public var description: String { status }
}
