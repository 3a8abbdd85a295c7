import HeadroomBatching
import HeadroomCore
import Testing

@Suite("BatchSizeSearch")
struct BatchSizeSearchTests {
    /// Drives a search against a fixed limit: sizes above `fits` fail.
    static func drive(_ search: inout BatchSizeSearch, fits: Int, steps: Int) -> [(Int, Bool)] {
        var log: [(Int, Bool)] = []
        for _ in 0..<steps {
            let size = search.nextSize(remaining: .max)
            if size <= fits {
                search.succeeded(size: size)
                log.append((size, true))
            } else {
                _ = search.failedOutOfMemory(size: size)
                log.append((size, false))
            }
        }
        return log
    }

    @Test("doubles, then bisects between the last success and the first failure")
    func doublingThenBisecting() {
        var search = BatchSizeSearch(start: 1, maximum: 1024)
        let log = Self.drive(&search, fits: 37, steps: 12)
        #expect(log.map(\.0) == [1, 2, 4, 8, 16, 32, 64, 48, 40, 36, 38, 37])
        #expect(log.map(\.1) == [true, true, true, true, true, true, false, false, false, true, false, true])
        #expect(search.isSettled)
        #expect(search.largestSuccess == 37)
        #expect(search.smallestFailure == 38)
        #expect(search.phase == .steady)
    }

    @Test("settles within ⌈log₂ max⌉ + 2 failures for every limit", arguments: [1, 2, 3, 7, 100, 511, 512, 513, 1000, 1023, 1024])
    func failuresBounded(fits: Int) {
        var search = BatchSizeSearch(start: 1, maximum: 1024)
        var failures = 0
        for _ in 0..<200 where !search.isSettled {
            let size = search.nextSize(remaining: .max)
            if size <= fits { search.succeeded(size: size) } else { failures += 1; _ = search.failedOutOfMemory(size: size) }
        }
        #expect(search.isSettled)
        #expect(search.largestSuccess == min(fits, 1024))
        #expect(failures <= 10 + 2)
    }

    @Test("grows back: after enough successes it probes larger, and probes less often after each failed probe")
    func growBack() {
        var search = BatchSizeSearch(start: 64, maximum: 1024, growAfter: 4, exploreUpward: false)
        // A trusted start: steady at once.
        #expect(search.phase == .steady)
        var log = Self.drive(&search, fits: 64, steps: 40)
        let probes = log.enumerated().filter { !$0.element.1 }.map(\.offset)
        // First probe after 4 successes, then the wait doubles: 8, 16.
        #expect(probes == [4, 13, 30])
        // An eighth more, then halfway to each failure; each failed probe is followed by the size that runs.
        #expect(log.filter { !$0.1 }.map(\.0) == [72, 68, 66])
        #expect(probes.allSatisfy { log[$0 + 1] == (64, true) })
        // Memory frees up: the next probe succeeds and the search climbs additively.
        log = Self.drive(&search, fits: 200, steps: 60)
        #expect(search.largestSuccess! > 64)
        #expect(log.contains { $0.0 == 65 && $0.1 }, "the probe toward the last failure (66) goes halfway: 65")
    }

    @Test("a failure at a size that ran steps down a sixteenth; a second failure halves")
    func shrink() {
        var search = BatchSizeSearch(start: 100, maximum: 1024, exploreUpward: false)
        search.succeeded(size: 100)
        _ = search.failedOutOfMemory(size: 100)
        #expect(search.largestSuccess == nil)
        #expect(search.nextSize(remaining: .max) == 94)
        _ = search.failedOutOfMemory(size: 94)
        #expect(search.nextSize(remaining: .max) == 47)
        #expect(search.phase == .bisecting)
        // Noise, not a shrink: the step down runs, and the search bisects back up between 94 and 100.
        var noisy = BatchSizeSearch(start: 100, maximum: 1024, exploreUpward: false)
        noisy.succeeded(size: 100)
        _ = noisy.failedOutOfMemory(size: 100)
        noisy.succeeded(size: 94)
        #expect(noisy.nextSize(remaining: .max) == 97)
    }

    @Test("one item that fails cannot shrink; a batch cut short by the end does not lower the size")
    func edges() {
        var search = BatchSizeSearch(start: 1, maximum: 8)
        let canShrink = search.failedOutOfMemory(size: 1)
        #expect(!canShrink)
        var steady = BatchSizeSearch(start: 64, maximum: 1024, exploreUpward: false)
        steady.succeeded(size: 64)
        steady.succeeded(size: 3)
        #expect(steady.nextSize(remaining: .max) == 64)
        #expect(steady.nextSize(remaining: 10) == 10)
    }

    @Test("the budget gives (free × margin − fixed) ÷ per item")
    func budget() {
        let budget = BatchBudget(free: .gibibytes(80), fixed: .gibibytes(4), perItem: .mebibytes(300), level: .balanced)
        #expect(budget.batchSize == Int((ByteCount.gibibytes(80) * 0.75 - .gibibytes(4)).bytes / ByteCount.mebibytes(300).bytes))
        #expect(budget.batchSize == 191)
        #expect(BatchBudget(free: .gibibytes(1), fixed: .gibibytes(4), perItem: .mebibytes(1)).batchSize == 1)
    }
}
