import BenchmarkSupport
import HeadroomTestKit

/// The reference policies a row must come within half a point of: libCacheSim's best of these.
let comparedPolicies = ["LRU", "ARC", "S3FIFO", "WTinyLFU"]

func printHitRates(_ traces: [CacheTrace], reference: Reference) {
    let scale = CacheTraceScale.benchmark
    print("""
        Hit rate (%), \(scale.requests / 1_000_000)M requests per trace, cache size as % of the \
        \(scale.keySpace / 1000)k-key space, every entry the same size (capacity = entries × size).
        Headroom: MemoryCache(capacity:) with its default shards, get then insert on a miss.
        libCacheSim \(reference.libcachesimVersion): process_trace on the same file, one unit per entry.
        best: the best of LRU, ARC, S3FIFO, WTinyLFU; gap: Headroom − best.

        """)
    for trace in traces { print("  \(trace.name): \(trace.detail)") }
    print()
    var table = Table([("trace", .left), ("size", .right), ("entry", .right), ("Headroom", .right)]
        + Reference.policies.map { ($0, .right) } + [("best", .right), ("gap", .right)])
    var worst = (gap: Double.infinity, at: "")
    var lruGap = 0.0
    for trace in traces {
        for percent in CacheTraces.sizePercents {
            let theirs = Reference.policies.map { reference.hitRates[trace.name]?[$0]?["\(percent)"] ?? .nan }
            let best = comparedPolicies.map { reference.hitRates[trace.name]?[$0]?["\(percent)"] ?? .nan }.max() ?? .nan
            for size in entrySizes {
                let ours = headroomHitRate(trace, percent: percent, entrySize: size)
                let gap = ours - best
                if !(gap >= worst.gap) {
                    worst = (gap, "\(trace.name) at \(percent)%, \(entrySizeName(size)) entries")
                }
                if trace.name == "zipf-0.9", percent == 5, size == 1024 {
                    lruGap = ours - headroomHitRate(trace, percent: percent, entrySize: size, policy: .lru)
                }
                table.append([trace.name, "\(percent)%", entrySizeName(size), pct(ours)] + theirs.map(pct)
                    + [pct(best), signed(gap)])
            }
        }
    }
    print(table.render())
    print()
    verdicts.append(("every row ≥ libCacheSim's best of LRU, ARC, S3FIFO, WTinyLFU − 0.5 points", worst.gap >= -0.5,
                     "worst \(signed(worst.gap)) points (\(worst.at))"))
    verdicts.append(("≥ 8 points above LRU on Zipf 0.9 at 5% (1 KiB entries)", lruGap >= 8, "\(signed(lruGap)) points"))
}

/// The hit-rate table for 1 KiB entries only, against the best reference: quick.
func printQuickHitRates(_ traces: [CacheTrace], reference: Reference) {
    for trace in traces {
        let line = CacheTraces.sizePercents.map { percent in
            let ours = headroomHitRate(trace, percent: percent, entrySize: 1024)
            let best = comparedPolicies.map { reference.hitRates[trace.name]?[$0]?["\(percent)"] ?? .nan }.max() ?? .nan
            return "\(percent)%: \(pct(ours)) vs \(pct(best)) (\(signed(ours - best)))"
        }
        print(trace.name.padding(toLength: 16, withPad: " ", startingAt: 0), line.joined(separator: "   "))
    }
}

/// A figure with its sign; one that rounds to zero is +0.0.
func signed(_ value: Double) -> String {
    let figure = pct(value)
    return figure.hasPrefix("-") && figure != "-0.0" ? figure : "+" + figure.replacingOccurrences(of: "-", with: "")
}
