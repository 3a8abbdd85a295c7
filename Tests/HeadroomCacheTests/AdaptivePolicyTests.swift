import HeadroomCache
import HeadroomCore
import HeadroomTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Sketch sized by entries, window sized by the workload")
struct AdaptivePolicyTests {
    @Test("an empty cache's sketch takes a few KiB whatever its byte capacity", arguments: [
        ByteCount.mebibytes(1), .gibibytes(1), .gibibytes(8), .tebibytes(1),
    ])
    func emptySketch(capacity: ByteCount) {
        let cache = MemoryCache<Int, Int>(capacity: capacity)
        #expect(cache.statistics.sketchBytes <= 4 * 1024)
    }

    @Test("the sketch grows with the entries held, to at most 16 bytes per entry at the peak")
    func sketchGrowsWithEntries() {
        let cache = MemoryCache<Int, Int>(capacity: .gibibytes(8))
        var peak = 0
        for key in 0..<100_000 {
            cache.insert(key, forKey: key, cost: 64 * 1024)
            peak = max(peak, cache.count)
        }
        let sketch = cache.statistics.sketchBytes
        #expect(sketch > 64 * 1024)
        #expect(sketch <= 16 * peak)
    }

    @Test("the window grows on a recency-heavy trace and stays small on a frequency-heavy one")
    func windowFollowsTheWorkload() {
        var random = SeededGenerator(seed: 11)
        let recency = MemoryCache<UInt64, UInt8>(capacity: .kibibytes(1000))
        var recent: [UInt64] = []
        var fresh: UInt64 = 0
        for _ in 0..<300_000 {
            let key: UInt64
            if recent.count > 800, random.next() % 10 < 6 {
                key = recent[recent.count - 1 - Int(random.next() % 800)]
            } else {
                key = fresh
                fresh += 1
            }
            recent.append(key)
            if recency.value(forKey: key) == nil { recency.insert(0, forKey: key, cost: 1024) }
        }
        // Zipf 0.9 over 20k keys: frequency decides, and a small window keeps more of the hot keys.
        let frequency = MemoryCache<UInt64, UInt8>(capacity: .kibibytes(1000))
        var cumulative: [Double] = []
        var total = 0.0
        for rank in 1...20_000 {
            total += 1 / pow(Double(rank), 0.9)
            cumulative.append(total)
        }
        for _ in 0..<300_000 {
            let u = Double(random.next() >> 11) / Double(1 << 53) * total
            var low = 0, high = cumulative.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] < u { low = middle + 1 } else { high = middle }
            }
            let key = UInt64(low)
            if frequency.value(forKey: key) == nil { frequency.insert(0, forKey: key, cost: 1024) }
        }
        let grown = try! #require(recency.statistics.windowShare)
        let kept = try! #require(frequency.statistics.windowShare)
        #expect(grown >= 0.3)
        #expect(kept <= 0.25 && kept < grown - 0.15)
        #expect(recency.status.hasSuffix("· window \(Int((grown * 100).rounded()))%"))
    }

    @Test("LRU reports no window")
    func lruHasNoWindow() {
        #expect(MemoryCache<Int, Int>(capacity: .kibibytes(64), policy: .lru).statistics.windowShare == nil)
    }
}
