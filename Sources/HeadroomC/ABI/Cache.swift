import HeadroomCache
import HeadroomCore
import Synchronization

/// The cache policy behind an `hr_cache *`: a byte-free marker per 64-bit key, the keys
/// the policy evicted waiting to be handed back so the caller drops their objects.
final class CacheHandle: Sendable {
    /// Keys evicted and not yet handed back, shared with the cache's eviction callback.
    final class Evicted: Sendable {
        let keys = Mutex<[UInt64]>([])
    }

    let cache: MemoryCache<UInt64, UInt8>
    let evicted = Evicted()

    init(capacity: ByteCount, name: String) {
        let evicted = self.evicted
        cache = .reportingEvictions(capacity: capacity, name: name) { key in evicted.keys.withLock { $0.append(key) } }
    }

    /// Moves up to `capacity` evicted keys into `buffer`; returns how many were waiting in all.
    func drain(into buffer: UnsafeMutablePointer<UInt64>?, capacity: Int) -> Int {
        evicted.keys.withLock { keys in
            let waiting = keys.count
            let taken = min(waiting, capacity)
            if let buffer, taken > 0 {
                for index in 0..<taken { buffer[index] = keys[index] }
                keys.removeFirst(taken)
            }
            return waiting
        }
    }

    static func from(_ pointer: OpaquePointer?) throws -> CacheHandle {
        guard let pointer else { throw CallError.argument("cache is NULL") }
        return Unmanaged<CacheHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    /// The statistics of `hr_cache_stats_json`.
    struct Statistics: Encodable {
        var name: String
        var bytes: Int64
        var capacityBytes: Int64
        var entries: Int
        var hits: Int
        var misses: Int
        var hitRate: Double
        var insertions: Int
        var rejections: Int
        var evictions: Int
        var evictedBytes: Int
        var windowShare: Double
        var popularShifts: Int
        var sketchBytes: Int
        var status: String
    }

    var statistics: Statistics {
        let s = cache.statistics
        return Statistics(name: s.name, bytes: s.bytes.bytes, capacityBytes: s.capacity.bytes, entries: s.entries,
                          hits: s.lifetime.hits, misses: s.lifetime.misses, hitRate: s.lifetime.hitRate,
                          insertions: s.lifetime.insertions, rejections: s.lifetime.rejections,
                          evictions: s.lifetime.evictions, evictedBytes: s.lifetime.evictedBytes,
                          windowShare: s.windowShare ?? 0, popularShifts: s.popularShifts,
                          sketchBytes: s.sketchBytes, status: s.status)
    }
}

@_cdecl("hr_cache_new")
public func hr_cache_new(_ capacity: Int64, _ name: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    call {
        let out = try required(out, "out")
        out.pointee = nil
        guard capacity > 0 else { throw CallError.argument("capacity_bytes must be above zero; got \(capacity)") }
        let handle = CacheHandle(capacity: ByteCount(capacity), name: string(name) ?? "cache")
        out.pointee = OpaquePointer(Unmanaged.passRetained(handle).toOpaque())
    }
}

@_cdecl("hr_cache_get")
public func hr_cache_get(_ cache: OpaquePointer?, _ key: UInt64, _ hit: UnsafeMutablePointer<Int32>?) -> Int32 {
    call {
        let handle = try CacheHandle.from(cache)
        try required(hit, "hit").pointee = handle.cache.value(forKey: key) == nil ? 0 : 1
    }
}

@_cdecl("hr_cache_touch")
public func hr_cache_touch(_ cache: OpaquePointer?, _ keys: UnsafePointer<UInt64>?, _ keyCount: Int64) -> Int32 {
    call {
        let handle = try CacheHandle.from(cache)
        let keyCount = try count(keyCount, "count")
        if keyCount > 0, keys == nil { throw CallError.argument("keys is NULL with count \(keyCount)") }
        for index in 0..<keyCount { _ = handle.cache.value(forKey: keys![index]) }
    }
}

/// The fields of `hr_cache_put_args`, eight bytes each, at these offsets.
enum PutArguments {
    static let cache = 0, key = 8, cost = 16, evicted = 24, evictedCapacity = 32, stored = 40, evictedCount = 48
    static let reads = 56, readCount = 64
}

@_cdecl("hr_cache_put")
public func hr_cache_put(_ arguments: UnsafeMutableRawPointer?) -> Int32 {
    call {
        guard let arguments else { throw CallError.argument("args is NULL") }
        func field<T>(_ offset: Int, _ type: T.Type) -> T { arguments.load(fromByteOffset: offset, as: type) }
        let handle = try CacheHandle.from(field(PutArguments.cache, OpaquePointer?.self))
        let key = field(PutArguments.key, UInt64.self), cost = field(PutArguments.cost, Int64.self)
        let evicted = field(PutArguments.evicted, UnsafeMutablePointer<UInt64>?.self)
        let capacity = try count(field(PutArguments.evictedCapacity, Int64.self), "evicted_capacity")
        if capacity > 0, evicted == nil { throw CallError.argument("evicted is NULL with evicted_capacity \(capacity)") }
        guard cost >= 0, let bytes = Int(exactly: cost) else { throw CallError.argument("cost must be 0 or more; got \(cost)") }
        let reads = field(PutArguments.reads, UnsafePointer<UInt64>?.self)
        let readCount = try count(field(PutArguments.readCount, Int64.self), "read_count")
        if readCount > 0, reads == nil { throw CallError.argument("reads is NULL with read_count \(readCount)") }
        // The reads since the last call first, so the policy sees this key's miss before its insert.
        for index in 0..<readCount { _ = handle.cache.value(forKey: reads![index]) }
        let stored = handle.cache.insert(0, forKey: key, cost: bytes).isStored
        // A refused key is no longer held (a refused replacement drops the old value): the caller drops it too.
        if !stored { handle.evicted.keys.withLock { $0.append(key) } }
        arguments.storeBytes(of: stored ? 1 : 0, toByteOffset: PutArguments.stored, as: Int64.self)
        arguments.storeBytes(of: Int64(handle.drain(into: evicted, capacity: capacity)),
                             toByteOffset: PutArguments.evictedCount, as: Int64.self)
    }
}

@_cdecl("hr_cache_drain_evicted")
public func hr_cache_drain_evicted(_ cache: OpaquePointer?, _ evicted: UnsafeMutablePointer<UInt64>?, _ capacity: Int64,
                                   _ written: UnsafeMutablePointer<Int64>?) -> Int32 {
    call {
        let handle = try CacheHandle.from(cache)
        let written = try required(written, "count")
        let capacity = try count(capacity, "capacity")
        if capacity > 0, evicted == nil { throw CallError.argument("evicted is NULL with capacity \(capacity)") }
        written.pointee = Int64(min(handle.drain(into: evicted, capacity: capacity), capacity))
    }
}

@_cdecl("hr_cache_remove")
public func hr_cache_remove(_ cache: OpaquePointer?, _ key: UInt64) -> Int32 {
    call { _ = try CacheHandle.from(cache).cache.removeValue(forKey: key) }
}

@_cdecl("hr_cache_trim")
public func hr_cache_trim(_ cache: OpaquePointer?, _ bytes: Int64) -> Int32 {
    call {
        let handle = try CacheHandle.from(cache)
        guard bytes >= 0 else { throw CallError.argument("bytes must be 0 or more; got \(bytes)") }
        handle.cache.trim(toBytes: ByteCount(bytes))
    }
}

@_cdecl("hr_cache_stats_json")
public func hr_cache_stats_json(_ cache: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    call {
        out?.pointee = nil
        try give(try JSONOutput.encode(try CacheHandle.from(cache).statistics), to: out)
    }
}

@_cdecl("hr_cache_free")
public func hr_cache_free(_ cache: OpaquePointer?) {
    guard let cache else { return }
    Unmanaged<CacheHandle>.fromOpaque(UnsafeRawPointer(cache)).release()
}
