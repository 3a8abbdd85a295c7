import HeadroomCore
import Synchronization

/// A thread-safe, byte-bounded in-memory cache with scan-resistant W-TinyLFU
/// admission (or plain LRU), statistics, single-flight computation, an
/// optional disk tier and shrinking under memory pressure.
///
/// The bound is strict and synchronous: when ``insert(_:forKey:cost:)`` returns,
/// the bytes held are at most ``capacity``, and a value reported as stored is
/// readable at once. Get, insert and remove are O(1): each shard keeps its
/// entries in intrusive doubly linked lists over an array of nodes.
///
/// Keys are spread over `shards` independent shards, each with its own
/// `Mutex` and an equal share of the capacity, so threads rarely wait on one
/// another. An entry must fit one shard's share (``RejectionReason/tooLarge(cost:limit:)``).
///
/// Lookups take the shard's lock too, and a hit writes only the lock's cache
/// line (a CLOCK bit is set only if not set already). Lock-free hits in Caffeine's manner (immutable
/// entries in an atomic index, epoch-based reclamation, per-thread access rings
/// applied under the lock) were built and measured on `scripts/bench-cache.sh`:
/// one thread went from 52 to 72 ns per operation (an entry allocated per
/// insert, an epoch store and one more cache line per hit), and two threads
/// sharing the cache gained only 5–20%, because a third of that trace's
/// requests insert and the insert path writes the shard's lines either way. So
/// they are not used; docs/benchmarks.md has the figures.
///
/// ```swift
/// let cache = MemoryCache<ContentKey, [Float]>(capacity: .gibibytes(2))
/// let key = ContentKey(bytes: frame, parameters: ["gamma": 1.2, "model": "inswapper"])
/// let crop = try await cache.value(forKey: key) { try await preprocess(frame) }
/// print(cache.status)   // cache 1.9/2.0 GiB · hit 85% · evict 4% · window 1%
/// ```
public final class MemoryCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The most bytes the cache holds.
    public let capacity: ByteCount
    /// The most entries the cache holds, if bounded by count too.
    public let countLimit: Int?
    /// Which entries are kept when the cache is full.
    public let policy: CachePolicy
    /// A name for status lines and registries.
    public let name: String

    @usableFromInline let shards: [ShardBox<Key, Value>]
    /// The same shards without reference counting, for the hot path: `shards` keeps them alive.
    @usableFromInline let unretainedShards: [Unmanaged<ShardBox<Key, Value>>]
    @usableFromInline let shardMask: Int
    let shardLimit: Int
    @usableFromInline let costOf: (@Sendable (Value) -> Int)?
    @usableFromInline let hooks: CacheHooks<Key, Value>
    let pressure: PressureResponse?
    let underPressure = Atomic<Bool>(false)
    let window: Mutex<StatisticsWindow>
    let flights = Mutex<[Key: Flight<Value>]>([:])

    /// Creates a cache.
    ///
    /// - Parameters:
    ///   - capacity: The most bytes held, summed over entries' costs.
    ///   - countLimit: The most entries held (at least 1; the shard count is lowered to fit it), or nil for no count bound.
    ///   - policy: W-TinyLFU (default) or LRU.
    ///   - shards: Independent locks; rounded up to a power of two. Default 4
    ///     (1 for caches under 4 KiB or 1024 entries), so two threads rarely meet. The byte
    ///     threshold is low so that a cache of 200 entries shards alike at 64 B and at 1 MiB each.
    ///   - name: Shown in ``status``.
    ///   - pressure: How to respond to memory pressure, if at all.
    ///   - statisticsWindow: The span ``statistics`` reports as recent.
    ///   - expiry: When entries expire (time to live, time to idle), or nil for never.
    ///   - cost: The bytes a value costs when ``insert(_:forKey:cost:)`` is given none;
    ///     by default a ``MemoryFootprint`` value's footprint, else 1.
    public convenience init(capacity: ByteCount, countLimit: Int? = nil, policy: CachePolicy = .wTinyLFU,
                            shards: Int? = nil, name: String = "cache", pressure: PressureResponse? = nil,
                            statisticsWindow: Duration = .seconds(60), expiry: CacheExpiry? = nil,
                            cost: (@Sendable (Value) -> Int)? = nil) {
        self.init(capacity: capacity, countLimit: countLimit, policy: policy, shards: shards, name: name,
                  pressure: pressure, statisticsWindow: statisticsWindow, cost: cost, hooks: CacheHooks(),
                  expiry: expiry)
    }

    init(capacity: ByteCount, countLimit: Int?, policy: CachePolicy, shards: Int?, name: String,
         pressure: PressureResponse?, statisticsWindow: Duration, cost: (@Sendable (Value) -> Int)?,
         hooks: CacheHooks<Key, Value>, expiry: CacheExpiry? = nil) {
        let bytes = Int(max(0, capacity.bytes))
        let countLimit = countLimit.map { max(1, $0) }
        var wanted = shards ?? ((bytes < 4096 || (countLimit ?? .max) < 1024) ? 1 : 4)
        wanted = min(max(wanted, 1), 256)
        var count = 1
        while count < wanted { count <<= 1 }
        // Each shard must be allowed one entry, or the shards' count bounds would add up past the cache's.
        if let countLimit { while count > 1, count > countLimit { count >>= 1 } }
        self.capacity = ByteCount(Int64(bytes))
        self.countLimit = countLimit
        self.policy = policy
        self.name = name
        self.pressure = pressure
        self.costOf = cost
        self.hooks = hooks
        shardMask = count - 1
        shardLimit = bytes / count
        let perShardCount = countLimit.map { $0 / count } ?? .max
        let spills = hooks.spill != nil
        self.shards = (0..<count).map { _ in
            var shard = CacheShard<Key, Value>(limit: bytes / count, countLimit: perShardCount, policy: policy)
            shard.collectsEvicted = spills
            shard.expiry = expiry.map(ShardExpiry.init)
            return ShardBox(shard)
        }
        unretainedShards = self.shards.map { Unmanaged.passUnretained($0) }
        window = Mutex(StatisticsWindow(span: statisticsWindow))
    }

    @inlinable
    func shard(for hash: Int) -> ShardBox<Key, Value> {
        var x = UInt64(bitPattern: Int64(hash))
        x = (x ^ (x >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return shards[Int(truncatingIfNeeded: x >> 40) & shardMask]
    }

    /// Runs `body` on the key's shard under its lock, without retaining the shard.
    @inlinable
    func withShard<R: Sendable>(for hash: Int, _ body: (inout CacheShard<Key, Value>) -> R) -> R {
        var x = UInt64(bitPattern: Int64(hash))
        x = (x ^ (x >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return unretainedShards[Int(truncatingIfNeeded: x >> 40) & shardMask]._withUnsafeGuaranteedRef {
            $0.state.withLock { body(&$0) }
        }
    }

    /// The value for a key, or nil; counts a hit or a miss and records the request for admission.
    /// A miss in RAM is looked up in the disk tier, if any, and promoted back to RAM.
    @inlinable
    public func value(forKey key: Key) -> Value? {
        let hash = key.hashValue
        let found = withShard(for: hash) { $0.get(key, hash: hash) }
        if let found { return found }
        guard let load = hooks.load, let (value, cost) = load(key) else { return nil }
        shard(for: hash).state.withLock { $0.counters.diskHits += 1 }
        if cost < hooks.spillThreshold ?? .max { _ = store(value, forKey: key, hash: hash, cost: cost) }
        return value
    }

    /// The value for a key without counting a request or changing its recency.
    @inlinable
    public func peek(_ key: Key) -> Value? {
        let hash = key.hashValue
        return shard(for: hash).state.withLock { $0.peek(key, hash: hash) }
    }

    /// Whether the key is in RAM (the disk tier is not consulted).
    public func contains(_ key: Key) -> Bool { peek(key) != nil }

    /// Stores a value and evicts until the cache is within its bounds again.
    ///
    /// - Parameters:
    ///   - cost: The bytes the value holds; by default the cost function's or the
    ///     value's ``MemoryFootprint``, else 1.
    /// - Returns: Whether the value was stored, and if not, why.
    @inlinable @discardableResult
    public func insert(_ value: Value, forKey key: Key, cost: Int? = nil) -> InsertResult {
        insert(value, forKey: key, cost: cost, timeToLive: nil)
    }

    /// Stores a value that expires after its own `timeToLive` (when the cache was made with
    /// a ``CacheExpiry``; without one the entry never expires), as ``insert(_:forKey:cost:)`` otherwise.
    @inlinable @discardableResult
    public func insert(_ value: Value, forKey key: Key, cost: Int? = nil, timeToLive: Duration?) -> InsertResult {
        let hash = key.hashValue
        let cost = cost ?? self.cost(of: value)
        if let threshold = hooks.spillThreshold, cost >= threshold, let spill = hooks.spill {
            shard(for: hash).state.withLock { _ = $0.remove(key, hash: hash) }
            spill(key, value)
            return .inserted
        }
        return store(value, forKey: key, hash: hash, cost: cost, timeToLive: timeToLive.map(CacheExpiry.nanoseconds))
    }

    @inlinable
    func store(_ value: Value, forKey key: Key, hash: Int, cost: Int, timeToLive: Int64? = nil) -> InsertResult {
        let (result, evicted, tick) = withShard(for: hash) { shard in
            let result = shard.insert(key, hash: hash, value: value, cost: cost, timeToLive: timeToLive)
            var evicted: [(Key, Value, Int)] = []
            if shard.collectsEvicted, !shard.evicted.isEmpty { swap(&evicted, &shard.evicted) }
            shard.stores &+= 1
            return (result, evicted, shard.stores & 1023 == 0)
        }
        spill(evicted)
        if tick { periodic() }
        if result.isStored, let grew = hooks.grew { grew() }
        return result
    }

    /// Writes evicted entries to the disk tier, outside every lock.
    @inlinable
    func spill(_ evicted: [(Key, Value, Int)]) {
        guard let spill = hooks.spill else { return }
        for (key, value, _) in evicted { spill(key, value) }
    }

    @inlinable
    func cost(of value: Value) -> Int {
        if let costOf { return costOf(value) }
        if let footprint = value as? any MemoryFootprint { return footprint.memoryFootprint }
        return 1
    }

    /// Removes a key from RAM and from the disk tier; returns the value RAM held.
    @discardableResult
    @inlinable
    public func removeValue(forKey key: Key) -> Value? {
        let hash = key.hashValue
        let removed = shard(for: hash).state.withLock { $0.remove(key, hash: hash) }
        hooks.forget?(key)
        return removed
    }

    /// The bytes held now.
    public var bytes: ByteCount {
        ByteCount(Int64(shards.reduce(0) { sum, box in sum + box.state.withLock { $0.bytes } }))
    }

    /// The entries held now.
    public var count: Int {
        shards.reduce(0) { sum, box in sum + box.state.withLock { $0.count } }
    }
}
