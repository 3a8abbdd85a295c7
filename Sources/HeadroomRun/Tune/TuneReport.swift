/// What `headroom tune` found: the largest batch that fits, and every trial on the way.
public struct TuneReport: Sendable, Hashable, Codable {
    public var trials: [TuneTrial] = []
    /// The largest size that fit (and was confirmed), or `nil` when none did.
    public var largestFitting: Int?
    /// The smallest size that ran out of memory, or `nil` when none did up to the maximum.
    public var smallestFailing: Int?
    /// The size to use: the largest that fits times the margin, at least 1.
    public var recommended: Int?
    /// The share of the largest fitting size that ``recommended`` keeps.
    public var margin: Double
    /// Whether the search stopped at the maximum without a failure (the program may take more).
    public var reachedMaximum: Bool = false
    public var seconds: Double = 0

    public init(margin: Double) {
        self.margin = margin
    }

    public var outOfMemoryCount: Int { trials.count { $0.outcome == .outOfMemory } }
}
