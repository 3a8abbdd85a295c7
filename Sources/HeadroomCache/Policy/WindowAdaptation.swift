/// What moves a shard's window, beyond its two ghost filters (W-TinyLFU only).
///
/// - The window grows on a miss for a key it recently refused only if it has hit since it last
///   grew. A window that never hits (a loop larger than the cache, where every refused key comes
///   back too late) has no evidence that a larger one would: it stays small and main keeps its hits.
/// - A shift of the popular set shows as a surge of such returns: keys the frequencies refused keep
///   coming back. Every period of ``periodPerEntry`` requests per entry held, the share of requests
///   that were returns is compared with its running level; a rise of more than ``surge`` is taken
///   for a shift, and the shard forgets its frequencies, demotes protected to probation and opens
///   its window to ``shiftWindowShare``, so the new popular keys are admitted as they arrive instead
///   of after the sketch has aged out the old ones. Scans do not set it off: their keys never return.
/// - A window that went a whole period without a hit halves: a window opened by a shift that was
///   not one (or a workload that stopped re-reading recent keys) gives its room back to main.
@usableFromInline
struct WindowAdaptation: Sendable {
    /// Requests per entry held in one sampling period.
    @usableFromInline static var periodPerEntry: Int { 4 }
    /// The shortest period, in requests, so a small shard's figures are not noise: at 256, a stationary
    /// Zipf trace in 250-entry shards read as a shift in one run of four (the sketch's halvings move
    /// the returns by more than ``surge`` over so few requests).
    @usableFromInline static var minimumPeriod: Int { 2048 }
    /// How far above its level the share of returning refused keys must rise to count as a shift.
    @usableFromInline static var surge: Double { 0.03 }
    /// Periods before shifts are looked for: while the cache fills, returns rise without a shift.
    @usableFromInline static var warmUpPeriods: Int { 3 }
    /// The window's share after a shift, while the new popular keys build up their frequencies.
    @usableFromInline static var shiftWindowShare: Double { 0.3 }

    /// Hits in the window since it last grew.
    @usableFromInline var windowHits = 0
    /// Hits in the window this period.
    @usableFromInline var periodWindowHits = 0
    /// The shard's request count (hits + misses) when the period began.
    @usableFromInline var periodStart = 0
    /// Misses this period on keys the window recently refused.
    @usableFromInline var returns = 0
    /// The running level of returns per request.
    @usableFromInline var level = 0.0
    /// Periods ended so far: the first ``warmUpPeriods`` fill the cache and set the level.
    @usableFromInline var periods = 0
    /// Shifts of the popular set detected so far.
    @usableFromInline var shifts = 0

    @inlinable init() {}

    /// What the end of a period calls for.
    @usableFromInline enum Verdict { case shift, idleWindow }

    @inline(__always)
    @inlinable mutating func windowHit() {
        windowHits &+= 1
        periodWindowHits &+= 1
    }

    /// Ends the period if it is long enough: a shift if its returns surged above their level, an
    /// idle window if the window did not hit, nil otherwise (or before the period is over).
    @inlinable mutating func endPeriod(requests: Int, entries: Int) -> Verdict? {
        let length = requests - periodStart
        guard length >= max(Self.periodPerEntry * entries, Self.minimumPeriod) else { return nil }
        let rate = Double(returns) / Double(length)
        let idle = periodWindowHits == 0
        periodStart = requests
        returns = 0
        periodWindowHits = 0
        periods += 1
        if periods > Self.warmUpPeriods, rate - level > Self.surge {
            level = rate
            shifts += 1
            return .shift
        }
        level = periods == 1 ? rate : 0.7 * level + 0.3 * rate
        return idle ? .idleWindow : nil
    }
}
