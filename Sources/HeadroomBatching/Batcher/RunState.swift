/// The mutable state of one run: the size search and the report being built.
struct RunState {
    let options: BatchingOptions
    let total: Int
    var search: BatchSizeSearch
    var report = BatchReport()
    private var firstStart: Double?
    private var lastEnd: Double?

    init(options: BatchingOptions, total: Int) {
        self.options = options
        self.total = total
        let learned = options.workloadKey.flatMap { key in options.learnedLimits?.size(for: key) }
        search = options.makeSearch(learned: learned)
    }

    /// Records one attempt on `range` that began at `started`.
    /// A measurement run (`informsSearch: false`) is reported but does not move the search.
    mutating func record(_ range: Range<Int>, _ outcome: BatchReport.Attempt.Outcome, since started: Double,
                         informsSearch: Bool) {
        let end = options.now()
        if firstStart == nil { firstStart = started }
        lastEnd = end
        report.attempts.append(.init(firstItem: range.lowerBound, size: range.count, outcome: outcome, seconds: end - started))
        switch outcome {
        case .succeeded:
            report.items += range.count
            report.batches += 1
            report.bestSize = max(report.bestSize, range.count)
            if informsSearch { search.succeeded(size: range.count) }
        case .outOfMemory:
            report.outOfMemoryCount += 1
        case .retried:
            report.retries += 1
        }
        report.currentSize = search.size
        report.seconds = end - (firstStart ?? end)
        if report.settledAtAttempt == nil, search.isSettled {
            report.settledAtAttempt = report.attempts.count - 1
            report.outOfMemoryCountUntilSettled = report.outOfMemoryCount
        }
        if outcome == .succeeded, let progress = options.progress {
            progress(BatchProgress(itemsDone: report.items, itemsTotal: total, batchSize: range.count,
                                   outOfMemoryCount: report.outOfMemoryCount, throughput: report.movingThroughput()))
        }
    }

    /// The report, with the learned size saved for the next run.
    mutating func finish() -> BatchReport {
        report.currentSize = search.size
        if let key = options.workloadKey, let limits = options.learnedLimits, let learned = search.largestSuccess {
            limits.record(learned, for: key)
        }
        return report
    }
}
