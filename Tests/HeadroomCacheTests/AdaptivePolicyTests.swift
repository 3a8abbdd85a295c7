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
        #expect(recency.status.contains("· window \(Int((grown * 100).rounded()))%"))
    }

    /// Replays a test trace at 10% of its keys, 1 KiB each; returns the cache.
    static func replayed(_ kind: CacheTraceKind) throws -> MemoryCache<UInt64, UInt8> {
        let trace = try #require(testTraces[kind])
        let cache = MemoryCache<UInt64, UInt8>(capacity: ByteCount(Int64(trace.entries(percent: 10) * 1024)))
        _ = trace.hitRate { cache.value(forKey: $0) != nil } insert: { cache.insert(0, forKey: $0, cost: 1024) }
        return cache
    }

    /// Replays `phases` phases of Zipf 0.9 over `keys` keys, each phase a fresh set of keys (or the
    /// same set throughout, if `moving` is false), in a cache of `entries` entries (four shards);
    /// returns the cache and the hit rate over the second half of each phase.
    static func phases(_ phases: Int, moving: Bool, keys: Int = 10_000, entries: Int = 1000,
                       length: Int = 60_000) -> (MemoryCache<UInt64, UInt8>, [Double]) {
        var random = SeededGenerator(seed: 12)
        let zipf = Zipf(n: keys, alpha: 0.9)
        let cache = MemoryCache<UInt64, UInt8>(capacity: .kibibytes(Int64(entries)))
        var settled: [Double] = []
        for phase in 0..<phases {
            var hits = 0
            for request in 0..<length {
                let key = UInt64(zipf.next(using: &random) + (moving ? phase * 1_000_000 : 0))
                if cache.value(forKey: key) != nil {
                    if request >= length / 2 { hits += 1 }
                } else {
                    cache.insert(0, forKey: key, cost: 1024)
                }
            }
            settled.append(Double(hits) / Double(length / 2))
        }
        return (cache, settled)
    }

    @Test("a popular set that moves is detected as shifts, and each new set is held as well as the first")
    func shiftsOfThePopularSet() {
        let (cache, settled) = Self.phases(3, moving: true)
        let statistics = cache.statistics
        #expect(statistics.popularShifts >= 2, "\(statistics)")
        #expect(statistics.status.hasSuffix("shifts"))
        for rate in settled.dropFirst() { #expect(rate >= settled[0] - 0.03, "\(settled)") }
    }

    @Test("in shards of 2,000 entries shifts are seen within a few thousand requests, and each new set is held nearly as well as the first")
    func shiftsInLargeShards() {
        let (cache, settled) = Self.phases(4, moving: true, keys: 80_000, entries: 8_000, length: 160_000)
        let statistics = cache.statistics
        #expect(statistics.popularShifts >= 3, "\(statistics)")
        // A shard whose window had grown before a shift may see it late, and lose a few points in that phase.
        for rate in settled.dropFirst() { #expect(rate >= settled[0] - 0.05, "\(settled)") }
        // The window goes back after each shift rather than ratcheting up until the cache is LRU.
        #expect(try! #require(statistics.windowShare) <= 0.3, "\(statistics.status)")
        let (still, _) = Self.phases(2, moving: false, keys: 80_000, entries: 8_000, length: 160_000)
        #expect(still.statistics.popularShifts == 0, "\(still.statistics)")
    }

    @Test("a popular set that stays, scans through it and a loop larger than the cache are not shifts",
          arguments: [CacheTraceKind.zipf09, .zipf09Scans, .loop])
    func noShiftWithoutOne(kind: CacheTraceKind) throws {
        #expect(Self.phases(3, moving: false).0.statistics.popularShifts == 0)
        let replayed = try Self.replayed(kind).statistics
        #expect(replayed.popularShifts == 0, "\(kind): \(replayed)")
    }

    @Test("a loop larger than the cache keeps the window near nothing: it never hits there, so it has no reason to grow")
    func loopKeepsTheWindowSmall() throws {
        let loop = try Self.replayed(.loop).statistics
        #expect(try #require(loop.windowShare) <= 0.02, "\(loop)")
    }

    @Test("a cache of 200 entries (50 a shard, where 1% is no entry at all) still opens its window to recency")
    func smallCacheOpensItsWindow() throws {
        let trace = try #require(testTraces[.recency])
        let entries = trace.entries(percent: 1)
        #expect(entries == 200)
        let cache = MemoryCache<UInt64, UInt8>(capacity: ByteCount(Int64(entries * 1024)))
        let rate = trace.hitRate { cache.value(forKey: $0) != nil } insert: { cache.insert(0, forKey: $0, cost: 1024) }
        let reference = try #require(ReferenceHitRates.table[CacheTraceKind.recency.name]?[entries])
        #expect(rate >= reference.lru - 1.5, "\(cache.statistics)")
        #expect(try #require(cache.statistics.windowShare) >= 0.3)
    }

    @Test("LRU reports no window")
    func lruHasNoWindow() {
        #expect(MemoryCache<Int, Int>(capacity: .kibibytes(64), policy: .lru).statistics.windowShare == nil)
    }
}
