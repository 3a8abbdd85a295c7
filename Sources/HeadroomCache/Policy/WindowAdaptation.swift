/// What moves a shard's window, beyond its two ghost filters (W-TinyLFU only).
///
/// - The window grows on a miss for a key it recently refused only if it has hit since it last
///   grew. A window that never hits (a loop larger than the cache, where every refused key comes
///   back too late) has no evidence that a larger one would: it stays small and main keeps its hits.
/// - A shift of the popular set shows as a surge of such returns: keys the frequencies refused keep
///   coming back. The shard then forgets its frequencies, demotes protected to probation and opens
///   its window to ``shiftWindowShare``, so the new popular keys are admitted as they arrive instead
///   of after the sketch has aged out the old ones. Scans do not set it off: their keys never return.
/// - A shard of at least 1,024 entries sees the surge in ``ReturnAverages``, within a few thousand
///   requests. Once the returns are back near their level (or two periods on), its window goes back
///   to its share from before the shift (the least of its shares at the starts of the two periods
///   before, since the surge's returns grow it while they are counted): left open, it ratchets up
///   from shift to shift until the cache behaves as LRU.
/// - A smaller shard compares, every period of ``periodPerEntry`` requests per entry held, the share
///   of requests that were returns with its running level: a rise of more than ``surge`` is a shift.
///   Its window keeps what the ghosts give it: where shards are this small a shift is seen late, and
///   an open window is what follows a popular set that moves within a few periods.
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
    /// How far above its level a period's share of returning refused keys must rise to count as a shift.
    @usableFromInline static var surge: Double { 0.03 }
    /// Periods before shifts are looked for: while the cache fills, returns rise without a shift.
    @usableFromInline static var warmUpPeriods: Int { 3 }
    /// The window's share after a shift, while the new popular keys build up their frequencies.
    @usableFromInline static var shiftWindowShare: Double { 0.3 }
    /// The most a large shard's window may grow in one period, on returns: a shard that missed a
    /// shift (its window had grown, so the new keys hit there instead of returning) otherwise grew
    /// its window to 99% within two phases of the shifting trace and behaved as LRU from then on.
    @usableFromInline static var largeShardGrowthPerPeriod: Double { 0.1 }
    /// Periods after a shift by which it counts as settled, whatever the returns.
    @usableFromInline static var settlePeriods: Int { 2 }

    /// Hits in the window since it last grew.
    @usableFromInline var windowHits = 0
    /// How much the window's share grew this period.
    @usableFromInline var periodGrowth = 0.0
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
    /// The returns per miss, in a shard large enough to use them.
    @usableFromInline var averages = ReturnAverages()
    /// The period in which the shift now being answered was seen, or nil when none is.
    @usableFromInline var settlingSince: Int?
    /// The window's share at the starts of the last two periods (1 before there were any).
    @usableFromInline var recentShares = (1.0, 1.0)
    /// The window's share before the shift now being answered.
    @usableFromInline var shareBeforeShift = 1.0

    @inlinable init() {}

    /// What a miss or the end of a period calls for.
    @usableFromInline enum Verdict { case shift, settled(share: Double), idleWindow }

    /// Whether the window may grow by `step` this period, counting it if so: always in a small shard,
    /// up to ``largeShardGrowthPerPeriod`` in a large one (a shift opens it at once).
    @inlinable mutating func allowGrowth(by step: Double, entries: Int) -> Bool {
        guard ReturnAverages.span(entries: entries) == nil || periodGrowth < Self.largeShardGrowthPerPeriod else {
            return false
        }
        periodGrowth += step
        return true
    }

    @inline(__always)
    @inlinable mutating func windowHit() {
        windowHits &+= 1
        periodWindowHits &+= 1
    }

    /// Records a miss, `returning` if its key was refused by the window recently: a shift, or the
    /// end of one with the window's share to go back to, in a shard large enough to see them this way.
    @inlinable mutating func miss(returning: Bool, entries: Int, share: Double) -> Verdict? {
        if returning { returns += 1 }
        guard let span = ReturnAverages.span(entries: entries) else { return nil }
        let warm = periods > Self.warmUpPeriods
        if let since = settlingSince {
            _ = averages.record(returning: returning, span: span, warm: warm, settling: true)
            guard averages.isSettled || periods - since >= Self.settlePeriods else { return nil }
            settlingSince = nil
            averages.settle()
            return .settled(share: shareBeforeShift)
        }
        guard averages.record(returning: returning, span: span, warm: warm, settling: false) else { return nil }
        shifts += 1
        settlingSince = periods
        shareBeforeShift = min(share, recentShares.0, recentShares.1)
        return .shift
    }

    /// Ends the period if it is long enough: in a small shard, a shift if its returns surged above
    /// their level; an idle window if the window did not hit; nil otherwise (or before the period
    /// is over). `share` is the window's share now.
    @inlinable mutating func endPeriod(requests: Int, entries: Int, share: Double) -> Verdict? {
        let length = requests - periodStart
        guard length >= max(Self.periodPerEntry * entries, Self.minimumPeriod) else { return nil }
        let rate = Double(returns) / Double(length)
        let idle = periodWindowHits == 0
        recentShares = (share, recentShares.0)
        periodStart = requests
        returns = 0
        periodWindowHits = 0
        periodGrowth = 0
        periods += 1
        let small = ReturnAverages.span(entries: entries) == nil
        // A shard that shrank below the averages' size while answering a shift leaves it answered.
        if small { settlingSince = nil }
        if small, periods > Self.warmUpPeriods, rate - level > Self.surge {
            level = rate
            shifts += 1
            return .shift
        }
        level = periods == 1 ? rate : 0.7 * level + 0.3 * rate
        return idle && settlingSince == nil ? .idleWindow : nil
    }
}
