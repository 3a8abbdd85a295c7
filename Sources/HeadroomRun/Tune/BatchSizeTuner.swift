/// Finds the largest batch size a program can run, by running it.
///
/// It asks the same ``BatchSizeSearch`` the ``AdaptiveBatcher`` uses: double
/// from the start size until a trial runs out of memory, then bisect between
/// the largest size that fit and the smallest that failed until they are
/// adjacent (or within ``tolerance``). The answer is then run again
/// ``confirmations`` times: a size that fits once and fails the next time (a
/// fragmenting allocator, inputs of varying size) is stepped down, not
/// reported. The recommended size keeps a ``margin`` below the answer.
public struct BatchSizeTuner: Sendable {
    public var start: Int
    public var maximum: Int
    /// The share of the largest fitting size to recommend (0.9 leaves 10% room for variation).
    public var margin: Double
    /// Runs of the final size that must fit before it is the answer.
    public var confirmations: Int
    /// Stop bisecting when the gap between fitting and failing is at most this share of the fitting size.
    public var tolerance: Double
    /// The most trials to run before giving up.
    public var maximumTrials: Int

    public init(start: Int = 1, maximum: Int = 4096, margin: Double = 0.9, confirmations: Int = 1,
                tolerance: Double = 0, maximumTrials: Int = 64) {
        self.start = max(1, start)
        self.maximum = max(1, maximum)
        self.margin = min(1, max(0.01, margin))
        self.confirmations = max(0, confirmations)
        self.tolerance = max(0, tolerance)
        self.maximumTrials = max(1, maximumTrials)
    }

    /// Runs `trial` at the sizes the search asks for until the largest size that fits is known.
    /// - Parameters:
    ///   - trial: runs the program at a size and says what happened.
    ///   - progress: told about each trial as it ends.
    /// - Throws: ``TuneError`` when the program fails for another reason, a batch of one
    ///   does not fit, or the trials run out; `CancellationError` when cancelled.
    public func tune(trial: (Int) async throws(TuneError) -> TuneTrial,
                     progress: (TuneTrial) -> Void = { _ in }) async throws -> TuneReport {
        var search = BatchSizeSearch(start: start, maximum: maximum, growAfter: 1, exploreUpward: true)
        var report = TuneReport(margin: margin)
        var confirmed = 0
        let began = ContinuousClock.now

        while true {
            try Task.checkCancellation()
            // Once the answer is known, run it again to confirm it rather than probing above it.
            let answer = settledSize(search)
            if let answer, confirmed >= confirmations {
                return finish(&report, answer: answer, since: began)
            }
            guard report.trials.count < maximumTrials else {
                throw TuneError(kind: .tooManyTrials,
                                message: "no answer after \(maximumTrials) trials; raise --max-trials or --tolerance",
                                report: finish(&report, answer: nil, since: began))
            }
            let size = answer ?? search.nextSize(remaining: .max)
            let result = try await trial(size)
            report.trials.append(result)
            progress(result)
            switch result.outcome {
            case .fits:
                confirmed = answer == nil ? 0 : confirmed + 1
                search.succeeded(size: size)
            case .outOfMemory:
                confirmed = 0
                guard search.failedOutOfMemory(size: size) else {
                    throw TuneError(kind: .singleItemOutOfMemory,
                                    message: "even a batch of 1 runs out of memory (\(result.reason))",
                                    trial: result, report: finish(&report, answer: nil, since: began))
                }
            case .failed:
                throw TuneError(kind: .programFailed,
                                message: "the program failed at batch size \(size) (\(result.reason)), not for lack of memory",
                                trial: result, report: finish(&report, answer: nil, since: began))
            }
        }
    }

    /// The answer once the search knows it: settled, or within the tolerance.
    private func settledSize(_ search: BatchSizeSearch) -> Int? {
        guard let floor = search.largestSuccess else { return nil }
        if search.isSettled { return floor }
        if let ceiling = search.smallestFailure, Double(ceiling - floor) <= Double(floor) * tolerance { return floor }
        return nil
    }

    private func finish(_ report: inout TuneReport, answer: Int?, since began: ContinuousClock.Instant) -> TuneReport {
        report.seconds = (ContinuousClock.now - began).seconds
        report.largestFitting = answer
        report.smallestFailing = report.trials.filter { $0.outcome == .outOfMemory && $0.size > (answer ?? 0) }.map(\.size).min()
        report.recommended = answer.map { size in
            let scaled = (Double(size) * margin).rounded(.down)
            return scaled >= Double(size) ? size : max(1, Int(scaled))
        }
        report.reachedMaximum = answer == maximum && report.smallestFailing == nil
        return report
    }
}
