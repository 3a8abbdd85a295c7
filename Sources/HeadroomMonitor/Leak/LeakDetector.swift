#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// Decides whether memory grows steadily over time (a leak) or only rises and
/// falls (a sawtooth of allocate-and-free, a cache filling up then holding).
///
/// After a warm-up share of the series is dropped, the series is cut into
/// windows and the minimum of each taken: the **floor**, what memory falls
/// back to. A sawtooth's floor is flat, a leak's climbs. Two tests must agree:
/// - the floor rises steadily: the Mann–Kendall test for an upward trend;
/// - the rise matters: the floor's least-squares slope times the duration is at
///   least ``minimumGrowth`` and ``minimumRelativeGrowth`` of the median level.
/// The growth rate reported is the floor's slope, so a leak under a sawtooth
/// is measured by the leak, not the teeth. The confidence is one minus the
/// Mann–Kendall p-value (normal approximation).
public struct LeakDetector: Sendable {
    /// The share of the series (by time) ignored at the start: imports, model loading, caches warming.
    public var warmUp: Double
    /// How many windows the floor is taken over.
    public var windows: Int
    /// The confidence the floor's trend must reach.
    public var requiredConfidence: Double
    public var minimumGrowth: ByteCount
    public var minimumRelativeGrowth: Double

    public init(warmUp: Double = 0.2, windows: Int = 8, requiredConfidence: Double = 0.99,
                minimumGrowth: ByteCount = .mebibytes(1), minimumRelativeGrowth: Double = 0.02) {
        self.warmUp = min(0.9, max(0, warmUp))
        self.windows = max(4, windows)
        self.requiredConfidence = requiredConfidence
        self.minimumGrowth = minimumGrowth
        self.minimumRelativeGrowth = minimumRelativeGrowth
    }

    /// A verdict on `points` (time in seconds, or iterations, against bytes).
    public func analyze(_ points: [(time: Double, bytes: ByteCount)]) -> LeakVerdict {
        guard let first = points.first?.time, let last = points.last?.time, last > first else {
            return LeakVerdict(isLeak: false, growthPerMinute: .zero, confidence: 0, samples: points.count,
                               reason: "too few samples")
        }
        let cut = first + (last - first) * warmUp
        let kept = points.filter { $0.time >= cut }
        guard kept.count >= windows * 2 else {
            return LeakVerdict(isLeak: false, growthPerMinute: .zero, confidence: 0, samples: kept.count,
                               reason: "too few samples after the warm-up (\(kept.count), need \(windows * 2))")
        }
        let ys = kept.map { Double($0.bytes.bytes) }
        let median = ys.sorted()[ys.count / 2]
        let size = kept.count / windows
        let bounds = (0..<windows).map { ($0 * size)..<($0 == windows - 1 ? ys.count : ($0 + 1) * size) }
        let floors = bounds.map { ys[$0].min() ?? 0 }
        let centers = bounds.map { (kept[$0.lowerBound].time + kept[$0.upperBound - 1].time) / 2 }
        let slope = LeakDetector.slope(centers, floors)
        let growth = slope * (kept[kept.count - 1].time - kept[0].time)
        let confidence = LeakDetector.mannKendallConfidence(floors)
        let perMinute = ByteCount(Int64(max(-9e18, min(9e18, slope * 60))))
        let isLargeEnough = growth >= Double(minimumGrowth.bytes) && growth >= median * minimumRelativeGrowth
        let isLeak = slope > 0 && isLargeEnough && confidence >= requiredConfidence
        let reason: String
        if isLeak {
            reason = "the floor rises in \(windows) windows and memory grows \(perMinute)/min"
        } else if confidence < requiredConfidence {
            reason = "the floor does not rise steadily; memory falls back between peaks"
        } else {
            reason = "the growth (\(ByteCount(Int64(max(0, growth))))) is too small to matter"
        }
        return LeakVerdict(isLeak: isLeak, growthPerMinute: perMinute, confidence: confidence,
                           samples: kept.count, reason: reason)
    }

    /// The least-squares slope of `ys` over `xs`.
    static func slope(_ xs: [Double], _ ys: [Double]) -> Double {
        let n = Double(xs.count)
        let meanX = xs.reduce(0, +) / n
        let meanY = ys.reduce(0, +) / n
        var covariance = 0.0
        var variance = 0.0
        for (x, y) in zip(xs, ys) {
            covariance += (x - meanX) * (y - meanY)
            variance += (x - meanX) * (x - meanX)
        }
        return variance > 0 ? covariance / variance : 0
    }

    /// One minus the one-sided p-value of the Mann–Kendall test for an upward trend.
    static func mannKendallConfidence(_ values: [Double]) -> Double {
        let n = values.count
        var s = 0
        for i in 0..<n {
            for j in (i + 1)..<n where values[j] != values[i] {
                s += values[j] > values[i] ? 1 : -1
            }
        }
        let variance = Double(n * (n - 1) * (2 * n + 5)) / 18
        guard s > 0, variance > 0 else { return 0 }
        let z = (Double(s) - 1) / variance.squareRoot()
        return 1 - 0.5 * erfc(z / 2.0.squareRoot())
    }
}

/// What ``LeakDetector`` concluded.
public struct LeakVerdict: Sendable, Hashable, Codable {
    public var isLeak: Bool
    /// The least-squares growth after the warm-up, per minute (per 60 units of the time axis).
    public var growthPerMinute: ByteCount
    /// How sure the rising-floor test is, from 0 to 1.
    public var confidence: Double
    /// Samples after the warm-up.
    public var samples: Int
    /// Why, in words.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case isLeak, growthPerMinute = "growthPerMinuteBytes", confidence, samples, reason
    }
}
