import HeadroomCore
import Synchronization

/// Named caches sharing one byte budget, each with its own statistics: a
/// pipeline's `preprocess` and `postprocess` caches under one 2 GiB limit.
///
/// Each member may grow to the whole budget while the others are small; once
/// the sum passes the budget, the registry evicts the coldest entries of the
/// member most over its weighted share, until the sum fits again, before the
/// inserting call returns.
///
/// ```swift
/// let caches = CacheRegistry(budget: .gibibytes(2))
/// let pre: MemoryCache<ContentKey, [UInt8]> = try caches.makeCache(named: "preprocess")
/// let post: MemoryCache<ContentKey, [UInt8]> = try caches.makeCache(named: "postprocess", weight: 2)
/// print(caches.status)
/// ```
public final class CacheRegistry: Sendable {
    struct Member: Sendable {
        var cache: any RegisteredCache
        var weight: Double
    }

    /// The bytes all member caches together may hold.
    public let budget: ByteCount
    let members = Mutex<[Member]>([])

    public init(budget: ByteCount) {
        self.budget = budget
    }

    /// Creates a cache under this registry's budget.
    ///
    /// - Parameters:
    ///   - name: Unique within the registry.
    ///   - weight: The member's share of the budget when caches compete, relative to the others.
    ///   - Other parameters: As ``MemoryCache/init(capacity:countLimit:policy:shards:name:pressure:statisticsWindow:cost:)``.
    /// - Throws: ``CacheRegistryError`` if the name is taken.
    public func makeCache<Key: Hashable & Sendable, Value: Sendable>(
        named name: String, weight: Double = 1, countLimit: Int? = nil, policy: CachePolicy = .wTinyLFU,
        shards: Int? = nil, pressure: PressureResponse? = nil, statisticsWindow: Duration = .seconds(60),
        cost: (@Sendable (Value) -> Int)? = nil
    ) throws -> MemoryCache<Key, Value> {
        let hooks = CacheHooks<Key, Value>(grew: { [weak self] in self?.enforceBudget() })
        let cache = MemoryCache<Key, Value>(
            capacity: budget, countLimit: countLimit, policy: policy, shards: shards, name: name,
            pressure: pressure, statisticsWindow: statisticsWindow, cost: cost, hooks: hooks)
        try members.withLock { members in
            guard !members.contains(where: { $0.cache.name == name }) else {
                throw CacheRegistryError(name: name, reason: "a cache of this name is already registered; pick another name")
            }
            members.append(Member(cache: cache, weight: max(weight, 0.001)))
        }
        return cache
    }

    /// The bytes all members hold now.
    public var bytes: ByteCount {
        members.withLock { $0 }.reduce(ByteCount.zero) { $0 + $1.cache.bytes }
    }

    /// Each member's statistics, in the order they were made.
    public var statistics: [CacheStatistics] {
        members.withLock { $0 }.map(\.cache.statistics)
    }

    /// A line for the whole budget, then one per member.
    public var status: String {
        let all = members.withLock { $0 }
        let head = "caches \(bytes)/\(budget) · \(all.count) named"
        return ([head] + all.map { "  " + $0.cache.statistics.status }).joined(separator: "\n")
    }

    /// Polls every member's pressure signal.
    public func checkPressure() {
        for member in members.withLock({ $0 }) { _ = member.cache.checkPressure() }
    }

    /// Empties every member.
    public func removeAll() {
        for member in members.withLock({ $0 }) { member.cache.removeAll() }
    }

    /// Evicts from the member most over its weighted share until the members fit the budget.
    func enforceBudget() {
        let all = members.withLock { $0 }
        var held = all.map { Int($0.cache.bytes.bytes) }
        var total = held.reduce(0, +)
        guard total > budget.bytes else { return }
        let weights = all.reduce(0) { $0 + $1.weight }
        while total > budget.bytes {
            var chosen = -1
            var worst = -Double.infinity
            for (i, member) in all.enumerated() where held[i] > 0 {
                let share = Double(budget.bytes) * member.weight / weights
                let over = Double(held[i]) / share
                if over > worst { worst = over; chosen = i }
            }
            guard chosen >= 0 else { return }
            let freed = all[chosen].cache.evictOne()
            guard freed > 0 else { return }
            held[chosen] -= freed
            total -= freed
        }
    }
}
