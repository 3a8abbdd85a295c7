extension MemoryCache {
    /// The cached value for a key, or the result of computing it once, however
    /// many callers ask at the same time.
    ///
    /// The first caller to miss starts `compute` in a task of its own; callers
    /// for the same key that arrive while it runs wait for that one result. A
    /// thrown error reaches every waiter and is not cached (the next call computes
    /// again). Cancelling a waiter ends only that wait: the computation goes on
    /// for the others, and its value is cached.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - cost: The bytes the computed value costs; by default the cache's cost function.
    ///   - compute: Produces the value on a miss.
    /// - Throws: The error `compute` threw, or `CancellationError` if this caller was cancelled.
    public func value(forKey key: Key, cost: (@Sendable (Value) -> Int)? = nil,
                      orCompute compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let cached = value(forKey: key) { return cached }
        let hash = key.hashValue
        let (flight, cached, leads) = flights.withLock { flights -> (Flight<Value>?, Value?, Bool) in
            if let running = flights[key] { return (running, nil, false) }
            // A computation may have finished between the miss and this lock.
            if let done = shard(for: hash).state.withLock({ $0.peek(key, hash: hash) }) { return (nil, done, false) }
            let flight = Flight<Value>()
            flights[key] = flight
            return (flight, nil, true)
        }
        if let cached { return cached }
        guard let flight else { throw CancellationError() }
        if leads {
            Task {
                let result: Result<Value, any Error>
                do {
                    let value = try await compute()
                    self.insert(value, forKey: key, cost: cost?(value))
                    result = .success(value)
                } catch {
                    result = .failure(error)
                }
                _ = self.flights.withLock { $0.removeValue(forKey: key) }
                flight.finish(result)
            }
        }
        return try await flight.wait()
    }

    /// Computations in progress now.
    public var computationsInFlight: Int { flights.withLock { $0.count } }
}
