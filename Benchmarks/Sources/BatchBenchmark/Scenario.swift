import HeadroomCore
import HeadroomTestKit

/// One workload on the simulated device, with the batch sizes an oracle would pick.
struct Scenario {
    /// The scenario's letter in the issue: a, b, c…
    var label: String
    var title: String
    var configuration: SimulatedDevice.Configuration
    /// The largest batch any strategy may run (the batcher's `maximumSize`, Lightning's dataset cap).
    var maximumSize: Int
    var items: Int

    /// A fresh device: every strategy starts at simulated time zero with the same noise draws.
    func makeDevice() -> SimulatedDevice { SimulatedDevice(configuration) }

    /// The largest batch that never runs out of memory at `time`, whatever the noise draws:
    /// `(fixed + n × perItem) × (1 + noise) ≤ capacity − held`, capped at the maximum.
    func bestSize(at time: Double) -> Int {
        let c = configuration
        let available = (c.capacity - makeDevice().held(at: time)).doubleValue
        var n = Int(((available / (1 + c.noise)) - c.fixed.doubleValue) / c.perItem.doubleValue)
        // Guard the floating-point division against an off-by-one either way.
        while n > 0, need(n) > available { n -= 1 }
        while need(n + 1) <= available { n += 1 }
        return max(0, min(n, maximumSize))
    }

    private func need(_ n: Int) -> Double {
        let c = configuration
        return (c.fixed.doubleValue + Double(n) * c.perItem.doubleValue) * (1 + c.noise)
    }

    /// The best fixed size for the whole run: the smallest of the best sizes over time
    /// (with a competitor, the size that fits while it holds memory).
    var bestFixedSize: Int {
        let times = [0] + configuration.competitor.map(\.start)
        return times.map(bestSize(at:)).min() ?? 0
    }

    /// The ceiling on out-of-memory errors until the batcher settles: ⌈log₂ max⌉ + 2.
    var failureBar: Int {
        let bits = maximumSize > 1 ? Int.bitWidth - (maximumSize - 1).leadingZeroBitCount : 0
        return bits + 2
    }
}

extension Scenario {
    static let itemCount = 200_000

    /// The scenarios of the issue: known best sizes, a small one, noise, and a competitor.
    static func all() -> [Scenario] {
        let a = SimulatedDevice.Configuration(capacity: .gibibytes(80), fixed: .gibibytes(2), perItem: .mebibytes(300))
        let b = SimulatedDevice.Configuration(capacity: .gibibytes(24), fixed: .gibibytes(6), perItem: .mebibytes(97))
        let c = SimulatedDevice.Configuration(capacity: .gibibytes(16), fixed: .gibibytes(1), perItem: .gibibytes(1))
        var d = a
        d.noise = 0.03
        let base = Scenario(label: "a", title: "80 GiB, 2 GiB fixed, 300 MiB/item", configuration: a,
                            maximumSize: 1024, items: itemCount)
        // The competitor holds 20 GiB from 30% to 60% of the run the oracle makes without it.
        let length = base.fixedRunSeconds(size: base.bestFixedSize)
        var e = a
        e.competitor = [.init(from: 0.3 * length, to: 0.6 * length, bytes: .gibibytes(20))]
        return [
            base,
            Scenario(label: "b", title: "24 GiB, 6 GiB fixed, 97 MiB/item", configuration: b, maximumSize: 512, items: itemCount),
            Scenario(label: "c", title: "16 GiB, 1 GiB fixed, 1 GiB/item", configuration: c, maximumSize: 256, items: itemCount),
            Scenario(label: "d", title: "(a) with up to 3% noise per batch", configuration: d, maximumSize: 1024, items: itemCount),
            Scenario(label: "e", title: "(a) with a competitor holding 20 GiB from \(e.competitor[0].start.fixed(1)) s to \(e.competitor[0].end.fixed(1)) s",
                     configuration: e, maximumSize: 1024, items: itemCount),
        ]
    }

    /// Simulated seconds to run every item at a fixed `size` when nothing fails.
    func fixedRunSeconds(size: Int) -> Double {
        let c = configuration
        let full = items / size, rest = items % size
        let batches = Double(full) + (rest > 0 ? 1 : 0)
        return batches * c.overheadSeconds + Double(items) * c.secondsPerItem
    }
}
