#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When a cache's entries expire: a time to live from each write, a time to
/// idle from each read or write, or both (whichever comes first). An expired
/// entry reads as a miss and its bytes are reclaimed without a scan: each shard
/// keeps its deadlines in a heap and drops the due ones as it is used.
///
/// ```swift
/// let cache = MemoryCache<String, [Float]>(capacity: .gibibytes(1),
///                                         expiry: CacheExpiry(timeToLive: .seconds(600), timeToIdle: .seconds(60)))
/// cache.insert(embedding, forKey: id, timeToLive: .seconds(30))   // this entry alone: 30 s
/// ```
public struct CacheExpiry: Sendable {
    /// How long an entry lives after it is written, or nil for no limit.
    public var timeToLive: Duration?
    /// How long an entry lives after it was last read or written, or nil for no limit.
    public var timeToIdle: Duration?
    /// Where time comes from: the monotonic clock, or one a test moves by hand.
    public var clock: any CacheClock

    public init(timeToLive: Duration? = nil, timeToIdle: Duration? = nil, clock: any CacheClock = MonotonicCacheClock()) {
        self.timeToLive = timeToLive
        self.timeToIdle = timeToIdle
        self.clock = clock
    }

    /// Nanoseconds in a duration, saturating; a negative duration counts as zero.
    @usableFromInline static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? .max
            : whole + attoseconds / 1_000_000_000
    }
}

/// A source of time for expiry: nanoseconds on a scale that never goes back.
public protocol CacheClock: Sendable {
    /// Now, in nanoseconds from an arbitrary origin.
    func nanoseconds() -> Int64
}

/// `CLOCK_MONOTONIC`: the default ``CacheClock``.
public struct MonotonicCacheClock: CacheClock {
    public init() {}

    public func nanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
