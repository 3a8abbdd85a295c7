/// Finds the largest batch that fits and follows it as free memory changes.
///
/// The search has three phases:
/// - **doubling**: with nothing known, each success doubles the size;
/// - **bisecting**: once a size has failed, try the midpoint between the
///   largest size that ran and the smallest that failed (a binary search,
///   not a blind halving), until the two are adjacent;
/// - **steady**: run at the largest size that ran. After `growAfter`
///   successes in a row, probe a little larger (additive increase toward the
///   last failing size). A probe that fails is not bisected: the search goes
///   straight back to the size that runs and doubles the wait before the next
///   probe, so above the limit there is only ever one probe at a time.
///
/// A failure at or below a size that ran before means free memory shrank
/// (another process took some) or the need varies: the search steps down a
/// sixteenth, and if that fails too, halves and bisects again (multiplicative
/// decrease).
///
/// It is a value with no I/O, shared by ``AdaptiveBatcher`` and `headroom tune`.
public struct BatchSizeSearch: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable, Codable {
        case doubling, bisecting, steady
    }

    /// The size to try next (before clamping to the items left).
    public private(set) var size: Int
    /// The largest size that ran since memory last shrank.
    public private(set) var largestSuccess: Int?
    /// The smallest size that failed since memory last grew.
    public private(set) var smallestFailure: Int?
    public private(set) var phase: Phase
    /// The largest size ever tried.
    public let maximum: Int
    /// Successes in a row before a grow probe, at the start.
    public let growAfter: Int

    private var patience: Int
    private var successesInARow = 0
    private var isProbing = false
    private var isSteppingDown = false
    /// The longest wait between grow probes, in successful batches.
    static let maximumPatience = 64

    /// A search that doubles from `start` (probing upward), or, with `exploreUpward: false`,
    /// one that trusts `start` (computed from a budget or learned before) and only grows back slowly.
    public init(start: Int, maximum: Int, growAfter: Int = 8, exploreUpward: Bool = true) {
        self.maximum = max(1, maximum)
        self.size = min(max(1, start), self.maximum)
        self.growAfter = max(1, growAfter)
        self.patience = self.growAfter
        self.phase = exploreUpward ? .doubling : .steady
    }

    /// Whether the largest size that fits is known (it may change later).
    public var isSettled: Bool { phase == .steady && largestSuccess != nil }

    /// The size to run now, with `remaining` items left.
    public func nextSize(remaining: Int) -> Int {
        max(1, min(size, remaining))
    }

    /// Records that a batch of `ran` items succeeded.
    public mutating func succeeded(size ran: Int) {
        let floor = max(largestSuccess ?? 0, ran)
        largestSuccess = floor
        isSteppingDown = false
        if let ceiling = smallestFailure, floor >= ceiling { smallestFailure = nil }
        if isProbing {
            isProbing = false
            patience = growAfter
        }
        switch phase {
        case .doubling:
            if floor >= maximum { phase = .steady; size = maximum } else { size = floor > maximum / 2 ? maximum : floor * 2 }
        case .bisecting:
            bisect()
        case .steady:
            successesInARow += 1
            // A batch cut short by the end of the items says nothing about a larger size.
            size = max(size, floor)
            if successesInARow >= patience, floor < maximum {
                // Additive increase: a step of about an eighth, but no further than halfway to the
                // last failure (or the failure itself, when it is the next size up).
                var probe = floor + min(max(1, floor / 8), maximum - floor)
                if let ceiling = smallestFailure {
                    probe = min(probe, ceiling - floor > 1 ? floor + (ceiling - floor) / 2 : ceiling)
                }
                size = probe
                isProbing = true
                successesInARow = 0
            }
        }
    }

    /// Records that a batch of `failed` items ran out of memory.
    /// - Returns: `false` when nothing smaller can be tried (one item did not fit).
    public mutating func failedOutOfMemory(size failed: Int) -> Bool {
        guard failed > 1 else { return false }
        successesInARow = 0
        if isProbing, let floor = largestSuccess, failed > floor {
            // A grow probe that did not fit: note the ceiling and go back to the size that runs.
            // Probes stay single and grow rarer, so a machine at its limit pays little for them.
            isProbing = false
            patience = min(patience * 2, BatchSizeSearch.maximumPatience)
            smallestFailure = min(smallestFailure ?? failed, failed)
            size = floor
            return true
        }
        isProbing = false
        if let floor = largestSuccess, failed <= floor {
            // A size that ran has failed: memory shrank, or the workload's need varies from batch
            // to batch. Step down a sixteenth first (noise settles there); if that fails too, memory
            // really shrank, and the search halves from there on. Memory taken may come back, so
            // grow probes start again at the shortest wait.
            largestSuccess = nil
            smallestFailure = failed
            patience = growAfter
            if !isSteppingDown {
                isSteppingDown = true
                phase = .bisecting
                size = max(1, failed - max(1, failed / 16))
                return true
            }
        }
        smallestFailure = min(smallestFailure ?? failed, failed)
        bisect()
        return true
    }

    private mutating func bisect() {
        let floor = largestSuccess ?? 0
        guard let ceiling = smallestFailure, ceiling - floor > 1 else {
            phase = .steady
            size = max(1, min(largestSuccess ?? size, maximum))
            return
        }
        phase = .bisecting
        size = max(1, floor + (ceiling - floor) / 2)
    }
}
