/// Prepares batches ahead of the one running: at most one preparation is in
/// flight besides the one being awaited.
final class Prefetcher<Item: Sendable, Prepared: Sendable> {
    private let items: [Item]
    private let prepare: @Sendable (ArraySlice<Item>) async throws -> Prepared
    private var pending: (range: Range<Int>, task: Task<Prepared, any Error>)?

    init(items: [Item], prepare: @escaping @Sendable (ArraySlice<Item>) async throws -> Prepared) {
        self.items = items
        self.prepare = prepare
    }

    /// The prepared value for `range`: the prefetched one if it was for this
    /// range, else a fresh preparation (and the stale one is cancelled).
    func value(for range: Range<Int>) async throws -> Prepared {
        if let pending, pending.range == range {
            return try await pending.task.value
        }
        pending?.task.cancel()
        let task = start(range)
        pending = (range, task)
        return try await task.value
    }

    /// Starts preparing `range` in the background.
    func prefetch(_ range: Range<Int>) {
        if let pending {
            if pending.range == range { return }
            pending.task.cancel()  // a no-op for the finished one just awaited
        }
        pending = (range, start(range))
    }

    func cancel() {
        pending?.task.cancel()
        pending = nil
    }

    private func start(_ range: Range<Int>) -> Task<Prepared, any Error> {
        let slice = items[range]
        let prepare = self.prepare
        return Task { try await prepare(slice) }
    }
}
