import HeadroomCache
import HeadroomCore

/// The cache sizes measured, as percentages of the key space.
let sizePercents = [1, 5, 10]

/// Replays a trace through a Headroom cache (get; insert on a miss), one entry per unit of cost,
/// one shard so the policy is measured exactly; returns the hit rate in percent.
func headroomHitRate(_ trace: Trace, percent: Int, policy: CachePolicy) -> Double {
    let size = trace.keySpace * percent / 100
    let cache = MemoryCache<UInt64, UInt64>(capacity: ByteCount(Int64(size)), policy: policy, shards: 1)
    var hits = 0
    for id in trace.ids {
        if cache.value(forKey: id) != nil {
            hits += 1
        } else {
            cache.insert(id, forKey: id, cost: 1)
        }
    }
    return Double(hits) * 100 / Double(trace.ids.count)
}
