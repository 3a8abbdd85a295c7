import HeadroomCore
import HeadroomTestKit
import Synchronization
import Testing
@testable import HeadroomCache

/// Generated operation sequences: whatever the capacity, costs, policy and
/// shards, the cache never holds more than its capacity after a call returns,
/// a stored value reads back equal, and hits plus misses equal lookups.
@Suite("MemoryCache properties")
struct MemoryCachePropertyTests {
    struct Setup: CustomStringConvertible, Sendable {
        var capacity: Int
        var countLimit: Int?
        var policy: CachePolicy
        var shards: Int
        var keySpace: Int
        var maxCost: Int

        var description: String {
            "capacity \(capacity), count \(countLimit.map(String.init) ?? "-"), \(policy), shards \(shards), keys \(keySpace), cost ≤ \(maxCost)"
        }

        static func random(using random: inout SeededGenerator) -> Setup {
            Setup(capacity: Int.random(in: 1...5000, using: &random),
                  countLimit: Bool.random(using: &random) ? Int.random(in: 1...300, using: &random) : nil,
                  policy: Bool.random(using: &random) ? .wTinyLFU : .lru,
                  shards: [1, 2, 4].randomElement(using: &random)!,
                  keySpace: Int.random(in: 1...600, using: &random),
                  maxCost: Int.random(in: 1...400, using: &random))
        }
    }

    @Test("single thread: bound, read-back and statistics hold after every call")
    func singleThread() {
        var random = SeededGenerator(seed: 0xCAC4E)
        for _ in 0..<300 {
            let setup = Setup.random(using: &random)
            let cache = MemoryCache<Int, [UInt8]>(capacity: ByteCount(Int64(setup.capacity)), countLimit: setup.countLimit,
                                                  policy: setup.policy, shards: setup.shards)
            var latest: [Int: [UInt8]] = [:]
            var gets = 0
            for _ in 0..<400 {
                let key = Int.random(in: 0..<setup.keySpace, using: &random)
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<5:
                    gets += 1
                    if let value = cache.value(forKey: key) {
                        #expect(value == latest[key], "\(setup): stale or wrong value for \(key)")
                    }
                case 5..<9:
                    let cost = Int.random(in: 0...setup.maxCost, using: &random)
                    let value = [UInt8](repeating: UInt8(truncatingIfNeeded: Int.random(in: 0...255, using: &random)), count: 3)
                    let result = cache.insert(value, forKey: key, cost: cost)
                    if result.isStored {
                        latest[key] = value
                        #expect(cache.peek(key) == value, "\(setup): stored value not readable at once")
                    } else {
                        latest[key] = nil
                        #expect(cache.peek(key) == nil, "\(setup): rejected value is readable")
                    }
                    if case .rejected(.tooLarge(let rejected, let limit)) = result {
                        let share = Int64(setup.capacity / setup.shards)
                        #expect(rejected.bytes == Int64(cost) && Int64(cost) > limit.bytes)
                        #expect(limit.bytes <= share && limit.bytes >= share - share / 100)
                    }
                default:
                    if Int.random(in: 0..<20, using: &random) == 0 {
                        cache.trim(toBytes: ByteCount(Int64(Int.random(in: 0...setup.capacity, using: &random))))
                    } else {
                        cache.removeValue(forKey: key)
                        latest[key] = nil
                        #expect(cache.peek(key) == nil)
                    }
                }
                #expect(cache.bytes.bytes <= Int64(setup.capacity), "\(setup): over capacity")
                if let limit = setup.countLimit { #expect(cache.count <= limit, "\(setup): over count") }
            }
            let statistics = cache.statistics
            #expect(statistics.lifetime.hits + statistics.lifetime.misses == gets)
            #expect(statistics.lifetime.lookups == gets)
        }
    }

    @Test("four threads: bound holds and values are never mixed up")
    func manyThreads() async {
        var random = SeededGenerator(seed: 0x7E4D5)
        for round in 0..<24 {
            let setup = Setup.random(using: &random)
            let cache = MemoryCache<Int, Int>(capacity: ByteCount(Int64(setup.capacity)), countLimit: setup.countLimit,
                                              policy: setup.policy, shards: setup.shards)
            let gets = Counter()
            let violations = Counter()
            await withTaskGroup(of: Void.self) { group in
                for thread in 0..<4 {
                    group.addTask {
                        var random = SeededGenerator(seed: UInt64(round * 16 + thread))
                        for _ in 0..<3000 {
                            let key = Int.random(in: 0..<setup.keySpace, using: &random)
                            switch Int.random(in: 0..<10, using: &random) {
                            case 0..<6:
                                gets.add()
                                if let value = cache.value(forKey: key), value != key &* 31 {
                                    violations.add()
                                }
                            case 6..<9:
                                cache.insert(key &* 31, forKey: key, cost: Int.random(in: 0...setup.maxCost, using: &random))
                            default:
                                cache.removeValue(forKey: key)
                            }
                            if cache.bytes.bytes > Int64(setup.capacity) { violations.add() }
                        }
                    }
                }
            }
            #expect(violations.value == 0, "\(setup)")
            let statistics = cache.statistics
            #expect(statistics.lifetime.lookups == gets.value, "\(setup)")
            #expect(statistics.bytes.bytes <= Int64(setup.capacity))
        }
    }
}
