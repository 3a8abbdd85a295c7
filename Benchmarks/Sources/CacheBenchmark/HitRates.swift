import HeadroomCache
import HeadroomCore
import HeadroomTestKit

/// Bytes per entry the hit rates are measured with: every entry of a replay costs the same.
let entrySizes = [64, 1024, 65_536, 1 << 20]

/// Replays a trace through a Headroom cache as a new user would make it (default shards),
/// get then insert on a miss, each entry costing `entrySize` bytes in a cache of
/// `percent` % of the key space × `entrySize` bytes; returns the hit rate in percent.
func headroomHitRate(_ trace: CacheTrace, percent: Int, entrySize: Int, policy: CachePolicy = .wTinyLFU) -> Double {
    let capacity = trace.entries(percent: percent) * entrySize
    let cache = MemoryCache<UInt64, UInt8>(capacity: ByteCount(Int64(capacity)), policy: policy)
    return trace.hitRate { cache.value(forKey: $0) != nil } insert: { cache.insert(0, forKey: $0, cost: entrySize) }
}

func entrySizeName(_ bytes: Int) -> String {
    bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : bytes >= 1024 ? "\(bytes >> 10) KiB" : "\(bytes) B"
}
