import HeadroomCore

/// What a ``CacheRegistry`` needs from a member cache, whatever its key and value types.
protocol RegisteredCache: AnyObject, Sendable {
    var name: String { get }
    var bytes: ByteCount { get }
    var statistics: CacheStatistics { get }
    func evictOne() -> Int
    func trim(toBytes bytes: ByteCount)
    func removeAll()
    func checkPressure() -> Bool
}

extension MemoryCache: RegisteredCache {}
