/// The share of a shard's misses that were returns (keys its window refused recently), as two running
/// averages: a fast one over the last ``fastPerEntry`` misses per entry held, and a slow one
/// ``slowFactor`` times longer. A shift of the popular set shows as the fast one rising above the
/// slow one and staying there; it is seen within a few thousand requests, where a period's count
/// takes a period (``WindowAdaptation``).
///
/// - The slow average falls ``slowFall`` times slower than it rises: a scan floods the shard with
///   misses that never return, and a baseline that followed them down would read the ordinary
///   returns after the scan as a surge.
/// - A rise counts only above ``surge`` and above ``noiseSigmas`` standard deviations of the fast
///   average's sampling noise, and only once it has lasted a whole span.
/// - Only shards whose span is at least ``minimumSpan`` misses use it: over fewer, a sample is noise
///   (with shards of 250–500 entries, the tests' shifting trace fell 9–13 points below ARC, from
///   1.5–3, to false and late shifts).
@usableFromInline
struct ReturnAverages: Sendable {
    /// Misses per entry held that the fast average spans.
    @usableFromInline static var fastPerEntry: Double { 0.25 }
    /// The shortest span, in misses, at which the averages are used.
    @usableFromInline static var minimumSpan: Double { 256 }
    /// How many times longer the slow average's span is.
    @usableFromInline static var slowFactor: Double { 16 }
    /// How many times slower the slow average falls than it rises.
    @usableFromInline static var slowFall: Double { 8 }
    /// How far the fast average must rise above the slow one, at the least.
    @usableFromInline static var surge: Double { 0.04 }
    /// How many standard deviations of the fast average's noise a rise must exceed.
    @usableFromInline static var noiseSigmas: Double { 4 }

    @usableFromInline var fast = 0.0
    @usableFromInline var slow = 0.0
    /// Misses averaged so far.
    @usableFromInline var counted = 0.0
    /// `counted` when the fast average last rose above the threshold, or -1 while it is below.
    @usableFromInline var surgeSince = -1.0

    @inlinable init() {}

    /// The span, in misses, for a shard holding `entries`; nil if too short to use.
    @inlinable static func span(entries: Int) -> Double? {
        let span = Double(entries) * fastPerEntry
        return span >= minimumSpan ? span : nil
    }

    /// Records a miss; true when the fast average has stayed above the threshold for a whole span.
    /// `warm`: the cache has filled (before, returns rise without a shift, and the slow average
    /// follows the fast one). `settling`: a shift is being answered, so the slow average keeps the
    /// level from before it.
    @inlinable mutating func record(returning: Bool, span: Double, warm: Bool, settling: Bool) -> Bool {
        fast += ((returning ? 1 : 0) - fast) / span
        counted += 1
        guard warm else {
            slow = fast
            return false
        }
        guard !settling else { return false }
        let rise = fast - slow
        slow += rise / (span * Self.slowFactor * (rise < 0 ? Self.slowFall : 1))
        let noise = (slow * (1 - slow) / (2 * span)).squareRoot() * Self.noiseSigmas
        guard fast - slow > max(Self.surge, noise) else {
            surgeSince = -1
            return false
        }
        if surgeSince < 0 { surgeSince = counted }
        guard counted - surgeSince >= span else { return false }
        surgeSince = -1
        return true
    }

    /// Whether the returns are back near the level from before a shift.
    @inlinable var isSettled: Bool { fast - slow <= Self.surge / 2 }

    /// After a shift has settled: the slow average takes the new level if it is lower.
    @inlinable mutating func settle() { slow = min(slow, fast) }
}
