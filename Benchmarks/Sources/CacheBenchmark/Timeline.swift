import Foundation
import HeadroomCache
import HeadroomCore
import HeadroomTestKit

/// Replays one trace as `headroomHitRate` does (1 KiB entries, default shards) and prints, per 20k
/// requests, the hit rate, the window's share and the shifts detected so far; a line per 200k.
func printTimeline(_ trace: CacheTrace, percent: Int) {
    let entrySize = 1024
    let cache = MemoryCache<UInt64, UInt8>(capacity: ByteCount(Int64(trace.entries(percent: percent) * entrySize)))
    print("\(trace.name) at \(percent)%: hit rate % / window % / shifts, per 20k requests")
    var hits = 0
    var line: [String] = []
    for (n, id) in trace.ids.enumerated() {
        if cache.value(forKey: id) != nil { hits += 1 } else { cache.insert(0, forKey: id, cost: entrySize) }
        guard (n + 1) % 20_000 == 0 else { continue }
        let statistics = cache.statistics
        line.append(String(format: "%2.0f/w%.0f/s%d", Double(hits) / 200, (statistics.windowShare ?? 0) * 100,
                           statistics.popularShifts))
        hits = 0
        if line.count == 10 || n + 1 == trace.ids.count {
            print(line.joined(separator: " "))
            line = []
        }
    }
}
