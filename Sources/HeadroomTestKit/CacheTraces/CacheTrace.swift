/// A request trace for the cache: object ids in order, generated from a fixed seed,
/// so the cache's tests and its benchmark (and libCacheSim, which replays the same
/// ids) measure exactly the same requests on every run and every machine.
public struct CacheTrace: Sendable {
    /// Short and stable: the benchmark's file name and the pinned reference figures' key.
    public var name: String
    /// One line saying what the trace is.
    public var detail: String
    public var ids: [UInt64]
    /// Distinct ids the cache sizes are measured against (a trace may touch a few more).
    public var keySpace: Int

    public init(name: String, detail: String, ids: [UInt64], keySpace: Int) {
        self.name = name
        self.detail = detail
        self.ids = ids
        self.keySpace = keySpace
    }

    /// The cache size, in entries, that is `percent` % of the key space.
    public func entries(percent: Int) -> Int {
        keySpace * percent / 100
    }

    /// Replays the trace as a cache's user does, `read` then `insert` on a miss, and returns
    /// the hit rate in percent.
    public func hitRate(read: (UInt64) -> Bool, insert: (UInt64) -> Void) -> Double {
        var hits = 0
        for id in ids {
            if read(id) { hits += 1 } else { insert(id) }
        }
        return Double(hits) * 100 / Double(ids.count)
    }
}

/// How large the generated traces are.
public struct CacheTraceScale: Sendable, Equatable {
    public var keySpace: Int
    public var requests: Int

    public init(keySpace: Int, requests: Int) {
        self.keySpace = keySpace
        self.requests = requests
    }

    /// Small enough to replay every trace at every size in a debug build in seconds.
    public static let test = CacheTraceScale(keySpace: 20_000, requests: 150_000)
    /// The benchmark's traces.
    public static let benchmark = CacheTraceScale(keySpace: 100_000, requests: 2_000_000)
}
