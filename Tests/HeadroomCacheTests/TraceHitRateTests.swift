import HeadroomCache
import HeadroomCore
import HeadroomTestKit
import Testing

/// The tests' traces (CacheTraceScale.test), generated once and shared by every test.
let testTraces: [CacheTraceKind: CacheTrace] = Dictionary(
    uniqueKeysWithValues: CacheTraceKind.allCases.map { ($0, CacheTraces.generate($0, scale: .test)) })

/// Replays a trace through `MemoryCache(capacity:)` as a new user would make it (default shards):
/// get, then insert on a miss at `entrySize` bytes, in a cache of `entries` × `entrySize` bytes.
/// Returns the hit rate in percent.
func replayHitRate(_ trace: CacheTrace, entries: Int, entrySize: Int) -> Double {
    let cache = MemoryCache<UInt64, UInt8>(capacity: ByteCount(Int64(entries * entrySize)))
    return trace.hitRate { cache.value(forKey: $0) != nil } insert: { cache.insert(0, forKey: $0, cost: entrySize) }
}

func rounded(_ rate: Double) -> String {
    let tenths = Int((abs(rate) * 10).rounded())
    return "\(rate < 0 && tenths > 0 ? "-" : "")\(tenths / 10).\(tenths % 10)"
}

@Suite("Hit rates on generated traces beside libCacheSim")
struct TraceHitRateTests {
    @Test("the pinned reference figures were measured on these traces")
    func referenceMatchesTraces() {
        #expect(ReferenceHitRates.keySpace == CacheTraceScale.test.keySpace)
        #expect(ReferenceHitRates.requests == CacheTraceScale.test.requests)
        for kind in CacheTraceKind.allCases {
            for percent in CacheTraces.sizePercents {
                let entries = CacheTraceScale.test.keySpace * percent / 100
                #expect(ReferenceHitRates.table[kind.name]?[entries] != nil, "no reference for \(kind) at \(entries) entries")
            }
        }
    }

    @Test("W-TinyLFU ≥ libCacheSim's best of LRU, ARC, S3FIFO, WTinyLFU − 0.5 points (1 KiB entries)",
          arguments: CacheTraceKind.allCases, CacheTraces.sizePercents)
    func atLeastBestReference(kind: CacheTraceKind, percent: Int) throws {
        let trace = try #require(testTraces[kind])
        let entries = trace.entries(percent: percent)
        let reference = try #require(ReferenceHitRates.table[kind.name]?[entries])
        let ours = replayHitRate(trace, entries: entries, entrySize: 1024)
        let comment: Comment = """
            \(kind) at \(percent)% (\(entries) entries): ours \(rounded(ours)), best \(rounded(reference.best)) \
            (LRU \(rounded(reference.lru)), ARC \(rounded(reference.arc)), S3FIFO \(rounded(reference.s3fifo)), \
            WTinyLFU \(rounded(reference.wTinyLFU))), gap \(rounded(ours - reference.best))
            """
        guard let gap = Self.knownGaps[kind]?[percent] else {
            #expect(ours >= reference.best - 0.5, comment)
            return
        }
        // A row the policy does not reach yet: the bar is a known issue, and the measured shortfall is a floor.
        withKnownIssue("below the bar by up to \(gap) points (docs/caching.md)", isIntermittent: true) {
            #expect(ours >= reference.best - 0.5, comment)
        }
        #expect(ours >= reference.best - 0.5 - gap, comment)
    }

    /// Rows below libCacheSim's best − 0.5 points today, or within 0.25 of it: how far each may fall below
    /// the bar, the most it fell short in repeated runs (the shard a key lands in follows Swift's
    /// per-process hash seed) plus a margin. ARC leads on the shifting trace, whose popular set moves
    /// faster here (15k requests a phase, shards of 50 to 500 entries) than a shard this small can
    /// tell a shift from noise; S3FIFO and libCacheSim's WTinyLFU on the loop at 1% and 5%. Scans and
    /// recency pass by 0.0–0.2. At the benchmark's scale (docs/benchmarks.md) the shifting rows pass.
    static let knownGaps: [CacheTraceKind: [Int: Double]] = [
        .shifting: [1: 3.5, 5: 4.0, 10: 2.5],
        .loop: [1: 1.0, 5: 1.0, 10: 1.0],
        .recency: [1: 1.0, 5: 0.8, 10: 0.8],
        .zipf09Scans: [1: 1.0, 5: 1.0, 10: 1.0],
    ]

    @Test("the same entries at 64 B, 1 KiB, 16 KiB and 1 MiB each: hit rates within 0.5 points",
          arguments: [CacheTraceKind.shifting, .zipf09], [1, 10])
    func entrySizeInvariance(kind: CacheTraceKind, percent: Int) throws {
        let trace = try #require(testTraces[kind])
        let entries = trace.entries(percent: percent)
        let sizes = [64, 1024, 16_384, 1 << 20]
        let rates = sizes.map { replayHitRate(trace, entries: entries, entrySize: $0) }
        let spread = rates.max()! - rates.min()!
        #expect(spread <= 0.5, """
            \(kind) at \(percent)% (\(entries) entries): \
            \(zip(sizes, rates).map { "\($0) B \(rounded($1))" }.joined(separator: ", ")); spread \(rounded(spread))
            """)
    }
}
