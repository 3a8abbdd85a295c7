/// Runs a workload over a collection in batches as large as memory allows,
/// recovering from out-of-memory errors without losing or repeating an item.
///
/// ```swift
/// let batcher = AdaptiveBatcher(options: BatchingOptions(
///     start: .budget(BatchBudget(free: freeGPU, fixed: .gibibytes(2), perItem: .mebibytes(300)))))
/// let result = try await batcher.process(frames) { batch in try await model.run(batch) }
/// print(result.report.bestSize, result.report.throughput)
/// ```
///
/// Items are committed only when their batch succeeds: after an out-of-memory
/// error the cleanup hooks run, the size shrinks (``BatchSizeSearch``) and the
/// *same* items are tried again, so every item is processed exactly once and
/// the outputs come back in input order. Cancellation is checked between batches.
public struct AdaptiveBatcher: Sendable {
    public var options: BatchingOptions

    public init(options: BatchingOptions = BatchingOptions()) {
        self.options = options
    }

    /// The outputs, in input order, and what the run did.
    public struct Result<Output> {
        public var outputs: [Output]
        public var report: BatchReport
    }
}

extension AdaptiveBatcher.Result: Sendable where Output: Sendable {}

extension AdaptiveBatcher {

    /// Processes `items` with `run`, which takes a batch and returns one output per item, in order.
    /// - Throws: ``BatchError`` when one item does not fit alone or the workload fails;
    ///   `CancellationError` when the task is cancelled.
    public func process<Item, Output>(
        _ items: [Item], run: (ArraySlice<Item>) async throws -> [Output]
    ) async throws -> Result<Output> {
        try await process(count: items.count) { range, _ in try await run(items[range]) }
    }

    /// Processes `items` in two stages, preparing the next batch while the
    /// current one runs (decoding, resizing, copying to pinned memory…).
    ///
    /// `prepare` runs in a child task for the batch predicted to come next;
    /// when the prediction was wrong (an out-of-memory error changed the size)
    /// that preparation is cancelled and the right one made.
    /// - Throws: ``BatchError`` as ``process(_:run:)`` does; an error from
    ///   `prepare` is a `workloadFailed` error for that batch.
    public func process<Item: Sendable, Prepared: Sendable, Output>(
        _ items: [Item],
        prepare: @escaping @Sendable (ArraySlice<Item>) async throws -> Prepared,
        run: (Prepared) async throws -> [Output]
    ) async throws -> Result<Output> {
        let prefetcher = Prefetcher(items: items, prepare: prepare)
        defer { prefetcher.cancel() }
        return try await process(count: items.count) { range, next in
            let prepared = try await prefetcher.value(for: range)
            if let next { prefetcher.prefetch(next) }
            return try await run(prepared)
        }
    }

    /// The loop both forms share: `run` gets the batch's range and the range
    /// predicted to follow it if it succeeds.
    private func process<Output>(
        count: Int, run: (Range<Int>, Range<Int>?) async throws -> [Output]
    ) async throws -> Result<Output> {
        var state = RunState(options: options, total: count)
        var outputs: [Output] = []
        outputs.reserveCapacity(count)
        if options.measuresSingleItemThroughput, count > 0 {
            // One item alone: an out-of-memory error here throws (nothing is smaller), so a result always comes back.
            let started = options.now()
            outputs.append(contentsOf: try await attempt(0..<1, next: nil, state: &state, informsSearch: false, run: run) ?? [])
            let elapsed = options.now() - started
            state.report.singleItemThroughput = elapsed > 0 ? 1 / elapsed : nil
        }
        while outputs.count < count {
            try Task.checkCancellation()
            let start = outputs.count
            let range = start..<(start + state.search.nextSize(remaining: count - start))
            var predicted = state.search
            predicted.succeeded(size: range.count)
            let next = range.upperBound < count
                ? range.upperBound..<(range.upperBound + predicted.nextSize(remaining: count - range.upperBound)) : nil
            if let produced = try await attempt(range, next: next, state: &state, informsSearch: true, run: run) {
                outputs.append(contentsOf: produced)
            }
        }
        return Result(outputs: outputs, report: state.finish())
    }

    /// Runs one batch with retries. Returns its outputs, or `nil` after an
    /// out-of-memory error the search recovered from (the caller retries the same items).
    private func attempt<Output>(
        _ range: Range<Int>, next: Range<Int>?, state: inout RunState, informsSearch: Bool,
        run: (Range<Int>, Range<Int>?) async throws -> [Output]
    ) async throws -> [Output]? {
        var failures = 0
        var random = SystemRandomNumberGenerator()
        while true {
            let started = options.now()
            do {
                let produced = try await run(range, next)
                guard produced.count == range.count else {
                    throw BatchError(kind: .outputCountMismatch(expected: range.count, got: produced.count), items: range, underlying: nil)
                }
                state.record(range, .succeeded, since: started, informsSearch: informsSearch)
                return produced
            } catch let error as BatchError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch where options.classifier.isOutOfMemory(error) {
                state.record(range, .outOfMemory, since: started, informsSearch: informsSearch)
                for hook in options.cleanupHooks { await hook() }
                guard range.count > 1, !informsSearch || state.search.failedOutOfMemory(size: range.count) else {
                    throw BatchError(kind: .singleItemOutOfMemory, items: range, underlying: error)
                }
                return nil
            } catch {
                failures += 1
                guard failures < options.retryPolicy.maxAttempts, options.retryPolicy.shouldRetry(error) else {
                    throw BatchError(kind: .workloadFailed, items: range, underlying: error)
                }
                state.record(range, .retried, since: started, informsSearch: informsSearch)
                try await options.sleep(options.retryPolicy.delay(afterAttempt: failures, using: &random))
            }
        }
    }
}
