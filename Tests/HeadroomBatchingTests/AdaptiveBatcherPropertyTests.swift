#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomBatching
import HeadroomCore
import HeadroomTestKit
import Synchronization
import Testing

/// Generated workloads on the simulated device: whatever the memory, noise,
/// competition and start, every item comes back once, in order.
@Suite("AdaptiveBatcher properties")
struct AdaptiveBatcherPropertyTests {
    struct Workload: CustomStringConvertible {
        var configuration: SimulatedDevice.Configuration
        var items: Int
        var maximum: Int
        var start: BatchingOptions.Start

        var description: String {
            "capacity \(configuration.capacity), fixed \(configuration.fixed), per item \(configuration.perItem), noise \(configuration.noise), items \(items), max \(maximum), start \(start), competitor \(configuration.competitor.count)"
        }
    }

    static func workloads(count: Int, seed: UInt64) -> [Workload] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            let capacity = ByteCount.gibibytes(Int64.random(in: 4...96, using: &random))
            let fixed = ByteCount.mebibytes(Int64.random(in: 0...2048, using: &random))
            let perItem = ByteCount.mebibytes(Int64.random(in: 1...2048, using: &random))
            var competitor: [SimulatedDevice.Hold] = []
            if index % 3 == 0 {
                let start = Double.random(in: 0...2, using: &random)
                competitor = [.init(from: start, to: start + Double.random(in: 0.5...5, using: &random),
                                    bytes: capacity * Double.random(in: 0.1...0.5, using: &random))]
            }
            return workload(index: index, capacity: capacity, fixed: fixed, perItem: perItem, competitor: competitor,
                            items: Int.random(in: 0...3000, using: &random), random: &random)
        }
    }

    /// A workload on a device of `capacity`, with noise on every other one and the start chosen by `index`:
    /// a probe, a fixed size or the memory budget.
    static func workload(index: Int, capacity: ByteCount, fixed: ByteCount, perItem: ByteCount,
                         competitor: [SimulatedDevice.Hold], items: Int, random: inout SeededGenerator) -> Workload {
        let starts: [BatchingOptions.Start] = [
            .probe(from: Int.random(in: 1...64, using: &random)),
            .fixed(Int.random(in: 1...512, using: &random)),
            .budget(BatchBudget(free: capacity, fixed: fixed, perItem: perItem, level: .extreme)),
        ]
        return Workload(
            configuration: .init(capacity: capacity, fixed: fixed, perItem: perItem,
                                 noise: index % 2 == 0 ? 0 : Double.random(in: 0...0.1, using: &random),
                                 overheadSeconds: 0.01, secondsPerItem: 0.0005, failureSeconds: 0.01,
                                 competitor: competitor, seed: UInt64(index + 1)),
            items: items, maximum: Int.random(in: 1...2048, using: &random), start: starts[index % 3])
    }

    /// Workloads in which, from a moment in the run on (from the start, every fourth), a competitor leaves
    /// less than one item's need free: they can only end in `singleItemOutOfMemory`, most after some batches ran.
    static func crowdedWorkloads(count: Int, seed: UInt64) -> [Workload] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            let capacity = ByteCount.gibibytes(Int64.random(in: 4...96, using: &random))
            let fixed = ByteCount.mebibytes(Int64.random(in: 0...2048, using: &random))
            let perItem = ByteCount.mebibytes(Int64.random(in: 1...512, using: &random))
            let free = fixed + perItem * Double.random(in: 0...0.99, using: &random)
            let items = Int.random(in: 200...3000, using: &random)
            // Before half the items could have run at the device's fastest (0.5 ms an item).
            let arrives = index % 4 == 3 ? 0 : Double(items) * 0.0005 * Double.random(in: 0.1...0.5, using: &random)
            return workload(index: index, capacity: capacity, fixed: fixed, perItem: perItem,
                            competitor: [.init(from: arrives, to: 1e9, bytes: capacity - free)], items: items,
                            random: &random)
        }
    }

    /// One call of the workload: the items it was given, when it began on the simulated clock, and whether it ran.
    struct Call {
        var range: Range<Int>
        var items: [Int]
        var start: Double
        var succeeded: Bool
    }

    @Test("no item is lost, duplicated or reordered; outputs equal one-at-a-time processing")
    func everyItemOnceInOrder() async throws {
        var endedOutOfMemory = 0
        var endedAfterSomeBatches = 0
        for workload in Self.workloads(count: 150, seed: 0xB47C4) + Self.crowdedWorkloads(count: 24, seed: 0xC40D) {
            let device = SimulatedDevice(workload.configuration)
            let items = (0..<workload.items).map { $0 * 7 + 3 }
            let calls = Mutex<[Call]>([])
            let options = BatchingOptions(start: workload.start, maximumSize: workload.maximum, now: { device.now })
            do {
                let result = try await AdaptiveBatcher(options: options).process(items) { batch in
                    let start = device.now
                    do {
                        let outputs = try device.process(batch) { "out-\($0)" }
                        calls.withLock { $0.append(Call(range: batch.indices, items: Array(batch), start: start, succeeded: true)) }
                        return outputs
                    } catch {
                        calls.withLock { $0.append(Call(range: batch.indices, items: Array(batch), start: start, succeeded: false)) }
                        throw error
                    }
                }
                let succeeded = calls.withLock { $0.filter(\.succeeded) }
                #expect(result.outputs == items.map { "out-\($0)" }, "\(workload)")
                #expect(succeeded.flatMap(\.items) == items, "\(workload)")
                #expect(result.report.items == items.count)
                #expect(result.report.outOfMemoryCount == device.counts.failures)
                #expect(result.report.bestSize <= workload.maximum)
            } catch let error as BatchError {
                endedOutOfMemory += 1
                let log = calls.withLock { $0 }
                let c = workload.configuration
                // Only legitimate when one item alone does not fit at that moment.
                #expect(error.kind == .singleItemOutOfMemory, "\(workload): \(error)")
                // The failing range is one item of the input, and the last call the workload got.
                #expect(error.items.count == 1 && error.items.lowerBound >= 0 && error.items.upperBound <= items.count,
                        "\(workload): \(error.items)")
                guard error.items.count == 1, error.items.upperBound <= items.count else { continue }
                let failing = try #require(log.last, "\(workload)")
                #expect(!failing.succeeded && failing.range == error.items && failing.items == [items[error.items.lowerBound]],
                        "\(workload)")
                // Everything before it ran once, in order, in calls that succeeded; nothing at or after it did.
                let succeeded = log.filter(\.succeeded)
                if !succeeded.isEmpty { endedAfterSomeBatches += 1 }
                #expect(succeeded.flatMap(\.items) == Array(items[..<error.items.lowerBound]), "\(workload)")
                #expect(succeeded.allSatisfy { $0.range.upperBound <= error.items.lowerBound }, "\(workload)")
                #expect(device.counts.batches == succeeded.count && device.counts.failures == log.count - succeeded.count)
                // The device really had no room for one item then: the error is the device's own, for one item,
                // asking more than was free, with free memory what the device had less the competitor's hold.
                let oom = try #require(error.underlying as? SimulatedOutOfMemory, "\(workload): \(error)")
                #expect(oom.batchSize == 1 && oom.requested > oom.available, "\(workload): \(oom)")
                #expect(oom.available == c.capacity - device.held(at: failing.start), "\(workload): \(oom)")
                let need = c.fixed + c.perItem
                if c.noise == 0 {
                    #expect(oom.requested == need, "\(workload): \(oom)")
                    #expect(device.largestFittingBatch(at: failing.start) == 0, "\(workload): \(oom)")
                } else {
                    #expect(oom.requested >= need && oom.requested <= need * (1 + c.noise), "\(workload): \(oom)")
                }
            }
        }
        // The crowded workloads end this way, some after committing items, so the checks above are exercised.
        #expect(endedOutOfMemory >= 24 && endedAfterSomeBatches > 0, "\(endedOutOfMemory), \(endedAfterSomeBatches)")
    }

    @Test("settles within ⌈log₂ max⌉ + 2 failures, then stays at the largest size that fits with single probes above it")
    func settlesAndProbesSingly() async throws {
        var random = SeededGenerator(seed: 99)
        for _ in 0..<60 {
            let maximum = Int.random(in: 2...4096, using: &random)
            let configuration = SimulatedDevice.Configuration(
                capacity: .gibibytes(Int64.random(in: 8...160, using: &random)), fixed: .gibibytes(1),
                perItem: .mebibytes(Int64.random(in: 8...1024, using: &random)))
            let device = SimulatedDevice(configuration)
            let fits = min(device.largestFittingBatch(), maximum)
            guard fits >= 1 else { continue }
            let items = Array(0..<(fits * 60 + 10))
            let result = try await AdaptiveBatcher(options: BatchingOptions(maximumSize: maximum, now: { device.now }))
                .process(items) { batch in try device.process(batch) { $0 } }
            let attempts = result.report.attempts
            let settledAt = try #require(result.report.settledAtAttempt, "never settled at \(fits)")
            #expect(attempts[settledAt].size == fits && attempts[settledAt].outcome == .succeeded)
            let failuresBefore = try #require(result.report.outOfMemoryCountUntilSettled)
            #expect(failuresBefore == attempts[..<settledAt].filter { $0.outcome == .outOfMemory }.count)
            let bound = Int(ceil(log2(Double(maximum)))) + 2
            #expect(failuresBefore <= bound, "max \(maximum), fits \(fits): \(failuresBefore) failures")
            // After settling, every attempt above the limit is one probe followed by a size that fits.
            let after = Array(attempts[settledAt...])
            for (offset, attempt) in after.enumerated() where attempt.size > fits {
                #expect(attempt.outcome == .outOfMemory)
                if offset + 1 < after.count { #expect(after[offset + 1].size <= fits) }
            }
            #expect(result.report.bestSize == fits)
        }
    }

    @Test("follows a competing process: shrinks while it holds memory and grows back after")
    func tracksCompetitor() async throws {
        let configuration = SimulatedDevice.Configuration(
            capacity: .gibibytes(40), fixed: .gibibytes(2), perItem: .mebibytes(256),
            overheadSeconds: 0.05, secondsPerItem: 0.001, competitor: [.init(from: 20, to: 60, bytes: .gibibytes(20))])
        let device = SimulatedDevice(configuration)
        let before = device.largestFittingBatch(at: 0)
        let during = device.largestFittingBatch(at: 30)
        #expect(before == 152 && during == 72)
        let items = Array(0..<60_000)
        let times = Mutex<[(Double, Int)]>([])
        let result = try await AdaptiveBatcher(options: BatchingOptions(maximumSize: 1024, growAfter: 4, now: { device.now }))
            .process(items) { batch in
                let start = device.now
                let out = try device.process(batch) { $0 }
                times.withLock { $0.append((start, batch.count)) }
                return out
            }
        #expect(result.outputs == items)
        let log = times.withLock { $0 }
        // While the competitor holds memory every batch that ran fits its share; before and after, the full size runs.
        #expect(log.filter { $0.0 >= 20 && $0.0 < 60 }.allSatisfy { $0.1 <= during })
        #expect(log.contains { $0.0 >= 25 && $0.0 < 60 && $0.1 >= during - 2 }, "uses the memory left while held")
        #expect(log.contains { $0.0 >= 70 && $0.1 >= before - 16 }, "grows back after the competitor leaves")
    }
}
