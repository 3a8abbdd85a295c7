import Foundation
import HeadroomCore
import HeadroomTestKit
import Testing
@testable import HeadroomCache

/// Many OS threads on one cache of reference-counted values: readers copy
/// values while writers replace, evict and remove them.
@Suite("One cache, many threads")
struct SharedCacheTests {
    /// A reference-counted value, so a reader that copied a freed one would be caught (by TSan, or by a wrong key).
    final class Boxed: Sendable {
        let key: Int
        let payload: [Int]
        init(_ key: Int) {
            self.key = key
            payload = [key, key &* 7]
        }
    }

    @Test("forty threads: values are never mixed up, statistics add up, bytes stay bounded")
    func manyThreadsSharingOneCache() {
        let threads = 40
        let cache = MemoryCache<Int, Boxed>(capacity: .init(400), shards: 4)
        let gets = Counter()
        let violations = Counter()
        let finished = DispatchSemaphore(value: 0)
        for t in 0..<threads {
            let thread = Thread {
                var random = SeededGenerator(seed: UInt64(0x10CF + t))
                for _ in 0..<4000 {
                    // A skewed key space, so hot keys are read while others churn around them.
                    let key = Int.random(in: 0..<Int.random(in: 1...600, using: &random), using: &random)
                    switch Int.random(in: 0..<10, using: &random) {
                    case 0..<7:
                        gets.add()
                        if let value = cache.value(forKey: key), value.key != key || value.payload != [key, key &* 7] {
                            violations.add()
                        }
                    case 7..<9:
                        cache.insert(Boxed(key), forKey: key, cost: Int.random(in: 1...8, using: &random))
                    default:
                        cache.removeValue(forKey: key)
                    }
                    if cache.bytes.bytes > 400 { violations.add() }
                }
                finished.signal()
            }
            thread.start()
        }
        for _ in 0..<threads { finished.wait() }
        #expect(violations.value == 0)
        let statistics = cache.statistics
        #expect(statistics.lifetime.hits + statistics.lifetime.misses == gets.value)
        #expect(statistics.lifetime.hits > 0)
    }

    @Test("a value stored is read back at once, and a replaced or removed one is never read again")
    func readBackAndReplace() {
        let cache = MemoryCache<Int, Boxed>(capacity: .init(1 << 20), shards: 4)
        for key in 0..<5000 {
            cache.insert(Boxed(key), forKey: key, cost: 16)
            #expect(cache.value(forKey: key)?.key == key)
            cache.insert(Boxed(key + 1_000_000), forKey: key, cost: 16)
            #expect(cache.value(forKey: key)?.key == key + 1_000_000)
            if key % 3 == 0 {
                cache.removeValue(forKey: key)
                #expect(cache.value(forKey: key) == nil)
            }
        }
        let statistics = cache.statistics
        #expect(statistics.lifetime.lookups == 5000 * 2 + 5000 / 3 + 1)
        #expect(statistics.lifetime.misses == 5000 / 3 + 1)
    }
}
