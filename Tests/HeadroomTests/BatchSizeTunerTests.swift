import Headroom
import HeadroomTestKit
import Testing
import Glibc

/// The tuner's search against programs simulated by closures with a hidden limit.
@Suite("BatchSizeTuner")
struct BatchSizeTunerTests {
    /// A program that fits up to `limit` and runs out of memory above it.
    static func program(limit: Int) -> (Int) async throws(TuneError) -> TuneTrial {
        { size throws(TuneError) in
            size <= limit ? TuneTrial(size: size, outcome: .fits, reason: "exited 0")
                          : TuneTrial(size: size, outcome: .outOfMemory, reason: "printed \"CUDA out of memory\"")
        }
    }

    @Test("finds the hidden limit exactly, confirms it, and recommends the margin below it")
    func findsLimit() async throws {
        let report = try await BatchSizeTuner().tune(trial: Self.program(limit: 37))
        #expect(report.largestFitting == 37)
        #expect(report.smallestFailing == 38)
        #expect(report.recommended == 33)
        #expect(report.trials.map(\.size) == [1, 2, 4, 8, 16, 32, 64, 48, 40, 36, 38, 37, 37])
        #expect(report.outOfMemoryCount == 4)
    }

    @Test("for any limit and start: the exact answer, within ⌈log₂ max⌉ + 2 out-of-memory runs",
          arguments: 0..<8)
    func anyLimit(seed: UInt64) async throws {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<50 {
            let maximum = Int.random(in: 1...4096, using: &random)
            let limit = Int.random(in: 1...5000, using: &random)
            let start = Int.random(in: 1...min(maximum, max(1, limit)), using: &random)
            let report = try await BatchSizeTuner(start: start, maximum: maximum).tune(trial: Self.program(limit: limit))
            #expect(report.largestFitting == min(limit, maximum), "limit \(limit), max \(maximum), start \(start)")
            #expect(report.reachedMaximum == (limit >= maximum))
            let bar = Int(log2(Double(maximum)).rounded(.up)) + 2
            #expect(report.outOfMemoryCount <= bar, "limit \(limit), max \(maximum), start \(start)")
        }
    }

    @Test("a size that fits once and fails on the confirming run is stepped down, not reported")
    func confirmationCatchesFlakySize() async throws {
        var runsAt40 = 0
        let report = try await BatchSizeTuner(maximum: 64).tune { (size: Int) async throws(TuneError) -> TuneTrial in
            // 40 fits the first time only (fragmentation); 39 and below always fit.
            if size == 40 { runsAt40 += 1 }
            let fits = size < 40 || (size == 40 && runsAt40 == 1)
            return TuneTrial(size: size, outcome: fits ? .fits : .outOfMemory, reason: "")
        }
        #expect(report.largestFitting == 39)
        #expect(report.trials.last?.size == 39)
        #expect(report.trials.last?.outcome == .fits)
    }

    @Test("a tolerance stops bisecting early")
    func tolerance() async throws {
        let exact = try await BatchSizeTuner(confirmations: 0).tune(trial: Self.program(limit: 1000))
        let rough = try await BatchSizeTuner(confirmations: 0, tolerance: 0.1).tune(trial: Self.program(limit: 1000))
        #expect(exact.largestFitting == 1000)
        let answer = try #require(rough.largestFitting)
        #expect(answer <= 1000 && answer >= 900)
        #expect(rough.trials.count < exact.trials.count)
    }

    @Test("a failure that is not out of memory stops with the trial that failed")
    func programFailure() async throws {
        let error = await #expect(throws: TuneError.self) {
            try await BatchSizeTuner().tune { (size: Int) async throws(TuneError) -> TuneTrial in
                TuneTrial(size: size, outcome: size < 8 ? .fits : .failed, reason: "exited 3", lastLines: ["ValueError"])
            }
        }
        #expect(error?.kind == .programFailed)
        #expect(error?.trial?.size == 8)
        #expect(error?.report?.trials.count == 4)
        #expect(error?.description == "the program failed at batch size 8 (exited 3), not for lack of memory")
    }

    @Test("a batch of one that does not fit, and a search that runs out of trials")
    func noAnswer() async throws {
        let single = await #expect(throws: TuneError.self) {
            try await BatchSizeTuner().tune(trial: Self.program(limit: 0))
        }
        #expect(single?.kind == .singleItemOutOfMemory)

        let limited = await #expect(throws: TuneError.self) {
            try await BatchSizeTuner(maximumTrials: 5).tune(trial: Self.program(limit: 1000))
        }
        #expect(limited?.kind == .tooManyTrials)
        #expect(limited?.report?.trials.count == 5)
    }
}
