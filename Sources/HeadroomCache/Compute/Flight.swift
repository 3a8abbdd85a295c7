import Synchronization

/// One computation in progress for one key, and the callers waiting for it.
/// Each waiter can be cancelled on its own; the computation runs on regardless
/// and its result (value or error) reaches every waiter still there.
final class Flight<Value: Sendable>: Sendable {
    struct State {
        var waiters: [UInt64: CheckedContinuation<Value, any Error>] = [:]
        /// Waiters cancelled before their continuation was registered.
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
        var result: Result<Value, any Error>?
    }

    let state = Mutex(State())

    /// Waits for the computation's result; throws `CancellationError` if this task is cancelled first.
    func wait() async throws -> Value {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                let ready: Result<Value, any Error>? = state.withLock { state in
                    if let result = state.result { return result }
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                if let waiter = state.waiters.removeValue(forKey: id) { return Optional(waiter) }
                if state.result == nil { state.cancelled.insert(id) }
                return nil
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Delivers the result to every waiter and to any that come later.
    func finish(_ result: Result<Value, any Error>) {
        let waiters = state.withLock { state in
            state.result = result
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
