import Foundation
import HeadroomBatching
import HeadroomCore
import HeadroomTestKit
import Synchronization
import Testing

@Suite("AdaptiveBatcher")
struct AdaptiveBatcherTests {
    struct Flaky: Error, CustomStringConvertible { var description = "connection reset by peer" }
    struct Broken: Error, CustomStringConvertible { var description = "ValueError: bad input" }

    /// A device where batches above `fits` throw PyTorch's CUDA message (text only, no type).
    static func textOOM(fits: Int) -> @Sendable (ArraySlice<Int>) throws -> [Int] {
        { batch in
            struct Message: Error, CustomStringConvertible { var description: String }
            if batch.count > fits { throw Message(description: "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB") }
            return batch.map { $0 + 1 }
        }
    }

    @Test("out-of-memory by message text: shrinks, runs the cleanup hooks once per failure, loses nothing")
    func messageOOM() async throws {
        let cleanups = Mutex(0)
        let options = BatchingOptions(start: .fixed(100), maximumSize: 100, cleanupHooks: [{ cleanups.withLock { $0 += 1 } }])
        let result = try await AdaptiveBatcher(options: options).process(Array(0..<1000)) { try Self.textOOM(fits: 30)($0) }
        #expect(result.outputs == (1...1000).map { $0 })
        #expect(result.report.outOfMemoryCount == cleanups.withLock { $0 })
        #expect(result.report.outOfMemoryCount >= 2)
        #expect(result.report.bestSize == 30)
    }

    @Test("one item that does not fit alone is an error naming the item")
    func singleItem() async throws {
        let options = BatchingOptions(start: .fixed(8))
        do {
            _ = try await AdaptiveBatcher(options: options).process(Array(0..<20)) { batch -> [Int] in
                if batch.contains(13) { throw SimulatedOutOfMemory(requested: .gibibytes(9), available: .gibibytes(8), batchSize: batch.count) }
                return Array(batch)
            }
            Issue.record("expected an error")
        } catch let error as BatchError {
            #expect(error.kind == .singleItemOutOfMemory)
            #expect(error.items == 13..<14)
            #expect(error.description.hasPrefix("item 13 does not fit in memory even alone: CUDA out of memory."))
        }
    }

    @Test("other errors propagate at once with the item range")
    func otherErrors() async throws {
        let calls = Mutex(0)
        do {
            _ = try await AdaptiveBatcher(options: BatchingOptions(start: .fixed(10))).process(Array(0..<100)) { batch -> [Int] in
                calls.withLock { $0 += 1 }
                if batch.contains(42) { throw Broken() }
                return Array(batch)
            }
            Issue.record("expected an error")
        } catch let error as BatchError {
            #expect(error.kind == .workloadFailed)
            #expect(error.items == 40..<50)
            #expect(error.description == "the batch of items 40..<50 failed: ValueError: bad input")
        }
        #expect(calls.withLock { $0 } == 5)
    }

    @Test("a retry policy retries with backoff the errors it accepts, then gives up")
    func retries() async throws {
        let failuresLeft = Mutex(2)
        let sleeps = Mutex<[Duration]>([])
        var options = BatchingOptions(start: .fixed(10), retryPolicy: RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(100), jitter: 0,
                                                                                    shouldRetry: { $0 is Flaky }))
        options.sleep = { duration in sleeps.withLock { $0.append(duration) } }
        let result = try await AdaptiveBatcher(options: options).process(Array(0..<30)) { batch -> [Int] in
            if batch.first == 10, failuresLeft.withLock({ left in defer { left -= 1 }; return left > 0 }) { throw Flaky() }
            return Array(batch)
        }
        #expect(result.outputs == Array(0..<30))
        #expect(result.report.retries == 2)
        #expect(sleeps.withLock { $0 } == [.milliseconds(100), .milliseconds(200)])

        // Not accepted by the policy: fails at once; accepted but persistent: fails after maxAttempts.
        let attempts = Mutex(0)
        await #expect(throws: BatchError.self) {
            _ = try await AdaptiveBatcher(options: options).process(Array(0..<5)) { _ -> [Int] in
                attempts.withLock { $0 += 1 }
                throw Flaky()
            }
        }
        #expect(attempts.withLock { $0 } == 3)
    }

    @Test("backoff grows by the multiplier, stops at the cap, and jitter only shortens it")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 10, initialDelay: .milliseconds(100), multiplier: 3, maxDelay: .seconds(1), jitter: 0.5)
        var random = SeededGenerator(seed: 5)
        for (attempt, full) in [(1, 0.1), (2, 0.3), (3, 0.9), (4, 1.0), (8, 1.0)] {
            let delay = policy.delay(afterAttempt: attempt, using: &random)
            let seconds = Double(delay.components.attoseconds) / 1e18 + Double(delay.components.seconds)
            #expect(seconds <= full + 1e-9 && seconds >= full * 0.5 - 1e-9, "attempt \(attempt): \(seconds)")
        }
    }

    @Test("cancellation stops between batches")
    func cancellation() async throws {
        let started = Mutex(0)
        let task = Task {
            try await AdaptiveBatcher(options: BatchingOptions(start: .fixed(1))).process(Array(0..<1_000_000)) { batch -> [Int] in
                started.withLock { $0 += 1 }
                try await Task.sleep(for: .milliseconds(1))
                return Array(batch)
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(started.withLock { $0 } < 1_000_000)
    }

    @Test("a workload that returns the wrong number of outputs is an error")
    func outputCount() async {
        await #expect(throws: BatchError.self) {
            _ = try await AdaptiveBatcher(options: BatchingOptions(start: .fixed(4))).process(Array(0..<8)) { batch -> [Int] in Array(batch.dropLast()) }
        }
    }

    @Test("the learned size is kept per workload, in a file that survives, and a corrupt file starts empty")
    func learnedLimits() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-limits-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let options = BatchingOptions(start: .probe(from: 1), maximumSize: 512, learnedLimits: LearnedLimits(file: file), workloadKey: "upscale-4x")
        let first = try await AdaptiveBatcher(options: options).process(Array(0..<2000)) { try Self.textOOM(fits: 77)($0) }
        #expect(first.report.outOfMemoryCount > 0)
        #expect(LearnedLimits(file: file).size(for: "upscale-4x") == 77)
        // The next run, in a "new process", starts at 77 without a single failure before its first probe.
        var again = options
        again.learnedLimits = LearnedLimits(file: file)
        let second = try await AdaptiveBatcher(options: again).process(Array(0..<500)) { try Self.textOOM(fits: 77)($0) }
        #expect(second.report.sizeHistory.first == 77)
        #expect(second.report.attempts.prefix(8).allSatisfy { $0.outcome == .succeeded })
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: file))
        #expect(LearnedLimits(file: file).size(for: "upscale-4x") == nil)
    }

    @Test("the report: throughput, one-item speed-up, progress, history")
    func report() async throws {
        let device = SimulatedDevice(.init(capacity: .gibibytes(8), perItem: .mebibytes(256), overheadSeconds: 0.1, secondsPerItem: 0.01))
        let progress = Mutex<[BatchProgress]>([])
        let options = BatchingOptions(start: .probe(from: 1), maximumSize: 64, measuresSingleItemThroughput: true,
                                      progress: { update in progress.withLock { $0.append(update) } }, now: { device.now })
        let result = try await AdaptiveBatcher(options: options).process(Array(0..<1001)) { try device.process($0) { $0 } }
        let report = result.report
        #expect(report.items == 1001)
        #expect(report.singleItemThroughput.map { abs($0 - 1 / 0.11) < 1e-6 } == true)
        // 32 items a batch: 0.1 + 0.32 s for 32 items, about 76 items/s against 9.1 one at a time.
        let speedUp = try #require(report.speedUp)
        #expect(speedUp > 7 && speedUp < 8.5, "\(speedUp)")
        // Recent batches run at the settled size: faster than the whole run's average, never faster than 32 items a batch.
        #expect(report.movingThroughput() > report.throughput)
        #expect(report.movingThroughput() <= 32 / 0.42 + 1e-9)
        #expect(report.bestSize == 32)
        let updates = progress.withLock { $0 }
        #expect(updates.last?.itemsDone == 1001 && updates.last?.itemsTotal == 1001)
        #expect(updates.map(\.itemsDone) == updates.map(\.itemsDone).sorted())
        #expect(report.sizeHistory.first == 1, "the one-item measurement comes first")
    }

    @Test("prefetch prepares the next batch while this one runs, and re-prepares after a shrink")
    func prefetch() async throws {
        let prepared = Mutex<[Range<Int>]>([])
        let overlap = Mutex(false)
        let running = Mutex(false)
        let items = Array(0..<400)
        let options = BatchingOptions(start: .fixed(64), maximumSize: 64)
        let result = try await AdaptiveBatcher(options: options).process(items, prepare: { batch in
            if running.withLock({ $0 }) { overlap.withLock { $0 = true } }
            prepared.withLock { $0.append(batch.startIndex..<batch.endIndex) }
            return batch.map { $0 * 10 }
        }, run: { (values: [Int]) in
            running.withLock { $0 = true }
            defer { running.withLock { $0 = false } }
            try await Task.sleep(for: .milliseconds(5))
            if values.count > 40 { throw SimulatedOutOfMemory(requested: .gibibytes(2), available: .gibibytes(1), batchSize: values.count) }
            return values.map { $0 + 1 }
        })
        #expect(result.outputs == items.map { $0 * 10 + 1 })
        #expect(overlap.withLock { $0 }, "a preparation ran while a batch was running")
        #expect(prepared.withLock { $0 }.contains(0..<32), "after the failure at 64, the same items were prepared again at 32")
    }
}
