import HeadroomCore
import Testing
@testable import HeadroomCache

@Suite("Admission and eviction policy")
struct PolicyTests {
    /// Warms a hot set, replays a one-pass scan through the cache, and returns the share of the hot set still held.
    func hotSetKept(after policy: CachePolicy) -> Double {
        let cache = MemoryCache<Int, Int>(capacity: 1000, policy: policy, shards: 1)
        let hot = 0..<500
        for _ in 0..<20 {
            for key in hot where cache.value(forKey: key) == nil { cache.insert(key, forKey: key, cost: 1) }
        }
        for key in 10_000..<30_000 where cache.value(forKey: key) == nil { cache.insert(key, forKey: key, cost: 1) }
        return Double(hot.filter { cache.contains($0) }.count) / Double(hot.count)
    }

    @Test("a one-pass scan does not flush the hot set under W-TinyLFU; it does under LRU")
    func scanResistance() {
        #expect(hotSetKept(after: .wTinyLFU) >= 0.95)
        #expect(hotSetKept(after: .lru) == 0)
    }

    @Test("the frequency sketch counts up to 15 and halves after its sample")
    func sketchAges() {
        var sketch = FrequencySketch(capacity: 64)
        for _ in 0..<20 { sketch.increment(42) }
        #expect(sketch.frequency(42) == 15)
        #expect(sketch.frequency(7) <= 1)
        var other = 1000
        while sketch.resets == 0 {
            sketch.increment(other)
            other += 1
        }
        #expect(sketch.frequency(42) <= 7)
        #expect(sketch.frequency(42) >= 6)
    }

    @Test("a huge entry seen once does not push out hot small entries")
    func sizeAware() {
        let cache = MemoryCache<Int, Int>(capacity: 1000, shards: 1)
        for _ in 0..<5 {
            for key in 0..<900 where cache.value(forKey: key) == nil { cache.insert(key, forKey: key, cost: 1) }
        }
        _ = cache.value(forKey: -1)
        let result = cache.insert(-1, forKey: -1, cost: 800)
        guard case .rejected(.notAdmitted(let frequency, let victim)) = result else {
            Issue.record("expected a refused admission, got \(result)")
            return
        }
        #expect(frequency < victim)
        #expect((0..<900).filter { cache.contains($0) }.count == 900)
    }

    @Test("a frequently requested large entry is admitted")
    func frequentLargeAdmitted() {
        let cache = MemoryCache<Int, Int>(capacity: 1000, shards: 1)
        for key in 0..<900 where cache.value(forKey: key) == nil { cache.insert(key, forKey: key, cost: 1) }
        for _ in 0..<6 { _ = cache.value(forKey: -1) }
        #expect(cache.insert(-1, forKey: -1, cost: 300).isStored)
        #expect(cache.bytes.bytes <= 1000)
    }

    @Test("an entry larger than the capacity is rejected with the reason")
    func tooLarge() {
        let cache = MemoryCache<String, [UInt8]>(capacity: .kibibytes(1), shards: 1)
        let result = cache.insert([UInt8](repeating: 0, count: 2048), forKey: "big")
        // Under W-TinyLFU an entry must fit the main area: the capacity less the 1% window.
        #expect(result == .rejected(.tooLarge(cost: .kibibytes(2), limit: ByteCount(1024 - 10))))
        #expect(cache.statistics.lifetime.rejections == 1)
        #expect(cache.count == 0)
        #expect(cache.insert([1], forKey: "bad", cost: -1) == .rejected(.invalidCost(-1)))
    }

    @Test("the count limit holds alongside the byte bound")
    func countLimit() {
        for policy in [CachePolicy.wTinyLFU, .lru] {
            let cache = MemoryCache<Int, Int>(capacity: .mebibytes(1), countLimit: 10, policy: policy, shards: 1)
            for key in 0..<100 { cache.insert(key, forKey: key, cost: 1) }
            #expect(cache.count <= 10)
            #expect(cache.count >= 1)
        }
    }

    @Test("LRU keeps the most recently used")
    func lruOrder() {
        let cache = MemoryCache<Int, Int>(capacity: 3, policy: .lru, shards: 1)
        for key in 1...3 { cache.insert(key, forKey: key, cost: 1) }
        _ = cache.value(forKey: 1)
        cache.insert(4, forKey: 4, cost: 1)
        #expect(cache.contains(1))
        #expect(!cache.contains(2))
        #expect(cache.contains(3) && cache.contains(4))
    }

    @Test("replacing a value updates its cost and keeps the bound")
    func replace() {
        let cache = MemoryCache<Int, Int>(capacity: 100, shards: 1)
        #expect(cache.insert(1, forKey: 1, cost: 10) == .inserted)
        #expect(cache.insert(2, forKey: 1, cost: 40) == .replaced)
        #expect(cache.peek(1) == 2)
        #expect(cache.bytes == 40)
    }
}
