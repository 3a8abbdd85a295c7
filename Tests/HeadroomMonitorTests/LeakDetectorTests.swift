import HeadroomMonitor
import HeadroomTestKit
import Testing

@Suite("LeakDetector")
struct LeakDetectorTests {
    static let mib = 1 << 20

    /// One sample a second for `seconds`, `value(t)` bytes plus up to `noise` bytes of noise.
    static func series(seconds: Int, noise: Int = 0, seed: UInt64 = 1,
                       _ value: (Double) -> Double) -> [(time: Double, bytes: ByteCount)] {
        var random = SeededGenerator(seed: seed)
        return (0..<seconds).map { second in
            let t = Double(second)
            let jitter = noise > 0 ? Double(Int.random(in: -noise...noise, using: &random)) : 0
            return (t, ByteCount(Int64(value(t) + jitter)))
        }
    }

    @Test("a sawtooth (allocate, free, repeat) is not a leak, whatever its phase", arguments: [1, 2, 3, 4] as [UInt64])
    func sawtooth(seed: UInt64) {
        let period = 37.0 + Double(seed) * 3
        let points = Self.series(seconds: 600, noise: 4 * Self.mib, seed: seed) { t in
            Double(2_000 * Self.mib) + t.truncatingRemainder(dividingBy: period) / period * Double(800 * Self.mib)
        }
        let verdict = LeakDetector().analyze(points)
        #expect(!verdict.isLeak, "\(verdict)")
    }

    @Test("slow steady growth under noise is a leak, with its rate", arguments: [1, 2, 3] as [UInt64])
    func steadyGrowth(seed: UInt64) {
        // 3 MiB a minute over 2 GiB, with ±8 MiB of noise: smaller than the noise over any three minutes.
        let points = Self.series(seconds: 1800, noise: 8 * Self.mib, seed: seed) { t in
            Double(2_048 * Self.mib) + t / 60 * Double(3 * Self.mib)
        }
        let verdict = LeakDetector().analyze(points)
        #expect(verdict.isLeak, "\(verdict)")
        #expect(verdict.confidence > 0.99)
        let rate = Double(verdict.growthPerMinute.bytes) / Double(Self.mib)
        #expect(rate > 2.5 && rate < 3.5, "\(rate) MiB/min")
    }

    @Test("a leak under a sawtooth is still a leak")
    func leakUnderSawtooth() {
        let points = Self.series(seconds: 1200, noise: 2 * Self.mib) { t in
            Double(1_000 * Self.mib) + t.truncatingRemainder(dividingBy: 40) * Double(10 * Self.mib) + t * Double(Self.mib) / 4
        }
        #expect(LeakDetector().analyze(points).isLeak)
    }

    @Test("flat noise, a cache that fills then holds, and too few samples are not leaks")
    func notLeaks() {
        let flat = Self.series(seconds: 600, noise: 16 * Self.mib) { _ in Double(3_000 * Self.mib) }
        #expect(!LeakDetector().analyze(flat).isLeak)

        // Growth during the first fifth (warm-up), flat after.
        let cache = Self.series(seconds: 600, noise: Self.mib) { t in Double(Self.mib) * (1_000 + min(t, 100) * 5) }
        #expect(!LeakDetector().analyze(cache).isLeak)

        let short = LeakDetector().analyze(Self.series(seconds: 5) { $0 * 1e9 })
        #expect(!short.isLeak)
        #expect(short.reason.hasPrefix("too few samples"))
    }
}
