import HeadroomCache
import HeadroomCore
import HeadroomTestKit
import Synchronization
import Testing

/// A clock the test moves by hand.
final class ManualClock: CacheClock {
    let now = Atomic<Int64>(1_000)
    func nanoseconds() -> Int64 { now.load(ordering: .relaxed) }
    func advance(_ duration: Duration) { now.add(duration.components.seconds * 1_000_000_000
        + duration.components.attoseconds / 1_000_000_000, ordering: .relaxed) }
}

@Suite("Expiry")
struct ExpiryTests {
    @Test("an entry past its time to live reads as a miss and is counted as expired, not evicted")
    func timeToLive() {
        let clock = ManualClock()
        let cache = MemoryCache<Int, String>(capacity: .kibibytes(64),
                                             expiry: CacheExpiry(timeToLive: .seconds(10), clock: clock))
        cache.insert("a", forKey: 1, cost: 10)
        clock.advance(.seconds(9))
        #expect(cache.value(forKey: 1) == "a")
        clock.advance(.seconds(1))
        #expect(cache.value(forKey: 1) == nil)
        #expect(!cache.contains(1))
        let lifetime = cache.statistics.lifetime
        #expect(lifetime.expirations == 1 && lifetime.evictions == 0 && lifetime.misses == 1)
        #expect(cache.bytes == .zero)
    }

    @Test("reads extend the time to idle, never past the time to live")
    func timeToIdle() {
        let clock = ManualClock()
        let cache = MemoryCache<Int, Int>(capacity: .kibibytes(64),
                                          expiry: CacheExpiry(timeToLive: .seconds(30), timeToIdle: .seconds(5), clock: clock))
        cache.insert(7, forKey: 1, cost: 1)
        for _ in 0..<5 {
            clock.advance(.seconds(4))
            #expect(cache.value(forKey: 1) == 7)
        }
        clock.advance(.seconds(4))  // 24 s: idle for 4 of 5
        #expect(cache.value(forKey: 1) == 7)
        clock.advance(.seconds(4))  // 28 s
        #expect(cache.value(forKey: 1) == 7)
        clock.advance(.seconds(2))  // 30 s: the time to live has run out though the entry is read often
        #expect(cache.value(forKey: 1) == nil)
        cache.insert(8, forKey: 2, cost: 1)
        clock.advance(.seconds(5))
        #expect(cache.value(forKey: 2) == nil)
    }

    @Test("a per-entry time to live overrides the cache's, and a rewrite restarts it")
    func override() {
        let clock = ManualClock()
        let cache = MemoryCache<Int, Int>(capacity: .kibibytes(64),
                                          expiry: CacheExpiry(timeToLive: .seconds(100), clock: clock))
        cache.insert(1, forKey: 1, cost: 1, timeToLive: .seconds(1))
        cache.insert(2, forKey: 2, cost: 1)
        clock.advance(.seconds(2))
        #expect(cache.value(forKey: 1) == nil && cache.value(forKey: 2) == 2)
        clock.advance(.seconds(97))
        cache.insert(3, forKey: 2, cost: 1)  // rewritten at 99 s: lives to 199 s
        clock.advance(.seconds(50))
        #expect(cache.value(forKey: 2) == 3)
    }

    @Test("expired entries are reclaimed as the cache is used, without reading them")
    func reclaimedWithoutReads() {
        let clock = ManualClock()
        let cache = MemoryCache<Int, Int>(capacity: .mebibytes(1), shards: 1,
                                          expiry: CacheExpiry(timeToLive: .seconds(1), clock: clock))
        for key in 0..<1000 { cache.insert(key, forKey: key, cost: 100) }
        #expect(cache.count == 1000)
        clock.advance(.seconds(2))
        cache.insert(-1, forKey: -1, cost: 100)  // one write drops every due entry
        #expect(cache.count == 1)
        #expect(cache.statistics.lifetime.expirations == 1000)
        for key in 0..<10 { cache.insert(key, forKey: key, cost: 100) }
        clock.advance(.seconds(2))
        cache.removeExpired()
        #expect(cache.count == 0 && cache.bytes == .zero)
    }

    @Test("without expiry nothing expires, and a per-entry time to live is ignored")
    func noExpiry() {
        let cache = MemoryCache<Int, Int>(capacity: .kibibytes(64))
        cache.insert(1, forKey: 1, cost: 1, timeToLive: .nanoseconds(1))
        #expect(cache.value(forKey: 1) == 1)
        #expect(cache.statistics.lifetime.expirations == 0)
    }

    @Test("random writes, reads and clock steps: nothing past its deadline is ever returned", arguments: [1, 2, 3])
    func randomized(seed: UInt64) {
        let clock = ManualClock()
        let cache = MemoryCache<Int, Int64>(capacity: .kibibytes(4), shards: 1,
                                            expiry: CacheExpiry(timeToLive: .seconds(20), timeToIdle: .seconds(6), clock: clock))
        var random = SeededGenerator(seed: seed)
        var written: [Int: (at: Int64, read: Int64)] = [:]
        for _ in 0..<20_000 {
            let key = Int(random.next() % 200)
            let now = clock.nanoseconds()
            switch random.next() % 10 {
            case 0...2:
                cache.insert(now, forKey: key, cost: 8)
                written[key] = (now, now)
            case 3:
                clock.advance(.seconds(Int64(random.next() % 3)))
            default:
                if let value = cache.value(forKey: key) {
                    let entry = try! #require(written[key])
                    #expect(value == entry.at)
                    #expect(now - entry.at < 20_000_000_000 && now - entry.read < 6_000_000_000)
                    written[key] = (entry.at, now)
                }
            }
            #expect(cache.bytes.bytes <= 4096)
        }
    }
}
