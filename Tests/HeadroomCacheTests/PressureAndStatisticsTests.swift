import HeadroomCore
import Synchronization
import Testing
@testable import HeadroomCache

@Suite("Pressure, trim and statistics")
struct PressureAndStatisticsTests {
    @Test("under pressure the cache shrinks to its fraction, and recovers after")
    func pressure() {
        let pressed = Atomic<Bool>(false)
        let cache = MemoryCache<Int, Int>(capacity: 1000, shards: 2,
                                          pressure: PressureResponse(fraction: 0.25) { pressed.load(ordering: .relaxed) })
        for i in 0..<1000 { cache.insert(i, forKey: i, cost: 1) }
        #expect(cache.bytes.bytes > 900)
        pressed.store(true, ordering: .relaxed)
        #expect(cache.checkPressure())
        #expect(cache.bytes.bytes <= 250)
        #expect(cache.statistics.capacity == 250)
        for i in 1000..<2000 { cache.insert(i, forKey: i, cost: 1) }
        #expect(cache.bytes.bytes <= 250)
        pressed.store(false, ordering: .relaxed)
        #expect(!cache.checkPressure())
        #expect(cache.statistics.capacity == 1000)
        for i in 2000..<4000 { cache.insert(i, forKey: i, cost: 1) }
        #expect(cache.bytes.bytes > 900)
    }

    @Test("the signal is polled during insertions")
    func polledOnInsert() {
        let pressed = Atomic<Bool>(true)
        let cache = MemoryCache<Int, Int>(capacity: 10_000, shards: 1,
                                          pressure: PressureResponse(fraction: 0.1) { pressed.load(ordering: .relaxed) })
        for i in 0..<5000 { cache.insert(i, forKey: i, cost: 1) }
        #expect(cache.isUnderPressure)
        #expect(cache.bytes.bytes <= 1000)
    }

    @Test("trim and removeAll")
    func trimAndClear() {
        let cache = MemoryCache<Int, Int>(capacity: 1000, shards: 1)
        for i in 0..<500 { cache.insert(i, forKey: i, cost: 2) }
        cache.trim(toBytes: 100)
        #expect(cache.bytes.bytes <= 100)
        #expect(cache.statistics.lifetime.evictions >= 450)
        cache.removeAll()
        #expect(cache.count == 0 && cache.bytes == .zero)
        #expect(cache.insert(1, forKey: 1, cost: 10) == .inserted)
    }

    @Test("statistics add up and the status line reads like the issue's")
    func statistics() {
        let cache = MemoryCache<Int, Int>(capacity: .gibibytes(2), shards: 1, name: "preprocess")
        for i in 0..<10 { cache.insert(i, forKey: i, cost: 200 << 20) }
        for i in 0..<20 { _ = cache.value(forKey: i % 12) }
        let statistics = cache.statistics
        #expect(statistics.lifetime.lookups == 20)
        #expect(statistics.lifetime.hits + statistics.lifetime.misses == 20)
        #expect(statistics.lifetime.insertions + statistics.lifetime.rejections == 10)
        #expect(statistics.recent.lookups == 20)
        #expect(statistics.entries == cache.count)
        let expectedHit = Int((statistics.lifetime.hitRate * 100).rounded())
        #expect(cache.status.hasPrefix("preprocess "))
        #expect(cache.status.contains("/2.0 GiB · hit \(expectedHit)% · evict "))
    }
}
