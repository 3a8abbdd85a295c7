import Headroom
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
                items: Int.random(in: 0...3000, using: &random), maximum: Int.random(in: 1...2048, using: &random),
                start: starts[index % 3])
        }
    }

    @Test("no item is lost, duplicated or reordered; outputs equal one-at-a-time processing")
    func everyItemOnceInOrder() async throws {
        for workload in Self.workloads(count: 150, seed: 0xB47C4) {
            let device = SimulatedDevice(workload.configuration)
            let items = (0..<workload.items).map { $0 * 7 + 3 }
            let seen = Mutex<[Int: Int]>([:])
            let options = BatchingOptions(start: workload.start, maximumSize: workload.maximum, now: { device.now })
            do {
                let result = try await AdaptiveBatcher(options: options).process(items) { batch in
                    let outputs = try device.process(batch) { "out-\($0)" }
                    seen.withLock { counts in for item in batch { counts[item, default: 0] += 1 } }
                    return outputs
                }
                #expect(result.outputs == items.map { "out-\($0)" }, "\(workload)")
                #expect(seen.withLock { $0.values.allSatisfy { $0 == 1 } && $0.count == items.count }, "\(workload)")
                #expect(result.report.items == items.count)
                #expect(result.report.outOfMemoryCount == device.counts.failures)
                #expect(result.report.bestSize <= workload.maximum)
            } catch let error as BatchError {
                // Only legitimate when one item alone does not fit at that moment.
                #expect(error.kind == .singleItemOutOfMemory, "\(workload): \(error)")
                #expect(device.largestFittingBatch() < 1 || workload.configuration.noise > 0 || !workload.configuration.competitor.isEmpty,
                        "\(workload): \(error)")
            }
        }
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
