import Dispatch
import Foundation
import HeadroomCache
import HeadroomCore
import Synchronization

/// Operations counted across threads.
final class Tally: Sendable {
    let operations = Atomic<Int>(0)
}

/// Mixed operations per second: each request is a get, and a miss adds an insert.
struct Throughput {
    var operations: Int
    var seconds: Double
    /// CPU seconds used over the run: below 2 × seconds, two threads did not get two cores.
    var cpuSeconds = 0.0
    var perSecond: Double { Double(operations) / seconds }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Shards of the cache under test (HEADROOM_BENCH_SHARDS to try others).
let throughputShards = Int(ProcessInfo.processInfo.environment["HEADROOM_BENCH_SHARDS"] ?? "") ?? 4

/// Replays `ids` on `cache` from this thread; returns the operations done.
@inline(never)
func replay(_ ids: ArraySlice<Int>, on cache: MemoryCache<Int, Int>) -> Int {
    var operations = 0
    for id in ids {
        operations += 1
        if cache.value(forKey: id) == nil {
            cache.insert(id, forKey: id, cost: 1)
            operations += 1
        }
    }
    return operations
}

/// Headroom on `threads` threads, each replaying its share of the trace on one fresh shared cache.
func headroomThroughput(_ ids: [Int], size: Int, threads: Int) -> Throughput {
    var best: Throughput?
    for _ in 0..<1 {
        let cache = MemoryCache<Int, Int>(capacity: ByteCount(Int64(size)), shards: throughputShards)
        let privateCaches = ProcessInfo.processInfo.environment["HEADROOM_BENCH_PRIVATE"] != nil
            ? (0..<threads).map { _ in MemoryCache<Int, Int>(capacity: ByteCount(Int64(size)), shards: throughputShards) } : nil
        let share = ids.count / threads
        let tally = Tally()
        let start = ContinuousClock.now
        let cpu = processCPUSeconds()
        // One OS thread per share, started together, joined by a semaphore.
        let finished = DispatchSemaphore(value: 0)
        for t in 0..<threads {
            let thread = Thread {
                tally.operations.add(replay(ids[(t * share)..<((t + 1) * share)], on: privateCaches?[t] ?? cache),
                                     ordering: .relaxed)
                finished.signal()
            }
            thread.start()
        }
        for _ in 0..<threads { finished.wait() }
        let elapsed = seconds(.now - start)
        let result = Throughput(operations: tally.operations.load(ordering: .relaxed), seconds: elapsed,
                                cpuSeconds: processCPUSeconds() - cpu)
        if best == nil || result.perSecond > best!.perSecond { best = result }
    }
    return best!
}

/// Foundation's NSCache bounded by count (`countLimit`), or by cost like Headroom
/// (`totalCostLimit`, each entry cost 1), over `ids`.
func nsCacheThroughput(_ ids: ArraySlice<Int>, size: Int, byCost: Bool) -> Throughput {
    let cache = NSCache<NSNumber, NSNumber>()
    if byCost { cache.totalCostLimit = size } else { cache.countLimit = size }
    var operations = 0
    let start = ContinuousClock.now
    for id in ids {
        operations += 1
        let key = NSNumber(value: id)
        if cache.object(forKey: key) == nil {
            if byCost { cache.setObject(key, forKey: key, cost: 1) } else { cache.setObject(key, forKey: key) }
            operations += 1
        }
    }
    return Throughput(operations: operations, seconds: seconds(.now - start))
}

/// CPU seconds this process has used, all threads together.
func processCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
