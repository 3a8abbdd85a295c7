import Synchronization
import Testing
@testable import HeadroomCache

@Suite("Compute once")
struct SingleFlightTests {
    struct Failure: Error, Equatable {}

    @Test("many concurrent callers for one key share one computation")
    func oneComputation() async throws {
        let cache = MemoryCache<String, Int>(capacity: 1000)
        let calls = Counter()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    try await cache.value(forKey: "frame-1", cost: { _ in 8 }) {
                        calls.add()
                        try await Task.sleep(for: .milliseconds(50))
                        return 42
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(calls.value == 1)
        #expect(results.count == 200 && results.allSatisfy { $0 == 42 })
        #expect(cache.peek("frame-1") == 42)
        #expect(cache.bytes == 8)
        #expect(cache.computationsInFlight == 0)
    }

    @Test("different keys compute independently")
    func independentKeys() async throws {
        let cache = MemoryCache<Int, Int>(capacity: 1000)
        let calls = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<100 {
                group.addTask {
                    let value = try await cache.value(forKey: i % 10) {
                        calls.add()
                        try await Task.sleep(for: .milliseconds(30))
                        return (i % 10) * 2
                    }
                    #expect(value == (i % 10) * 2)
                }
            }
            try await group.waitForAll()
        }
        #expect(calls.value == 10)
    }

    @Test("an error reaches every waiter and is not cached")
    func errorPropagates() async throws {
        let cache = MemoryCache<String, Int>(capacity: 1000)
        let calls = Counter()
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    do {
                        _ = try await cache.value(forKey: "bad") {
                            calls.add()
                            try await Task.sleep(for: .milliseconds(50))
                            throw Failure()
                        }
                        return false
                    } catch {
                        return error is Failure
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 50)
        #expect(calls.value == 1)
        #expect(cache.peek("bad") == nil)
        let value = try await cache.value(forKey: "bad") {
            calls.add()
            return 7
        }
        #expect(value == 7)
        #expect(calls.value == 2)
    }

    @Test("cancelling one waiter leaves the computation to the others")
    func cancellationOfOne() async throws {
        let cache = MemoryCache<String, Int>(capacity: 1000)
        let calls = Counter()
        let (gate, opener) = AsyncStream<Void>.makeStream()
        let compute: @Sendable () async throws -> Int = {
            calls.add()
            for await _ in gate { break }
            return 99
        }
        let first = Task { try await cache.value(forKey: "k", orCompute: compute) }
        while cache.computationsInFlight == 0 { await Task.yield() }
        let second = Task { try await cache.value(forKey: "k", orCompute: compute) }
        first.cancel()
        await #expect(throws: CancellationError.self) { try await first.value }
        opener.yield()
        opener.finish()
        #expect(try await second.value == 99)
        #expect(calls.value == 1)
        #expect(cache.peek("k") == 99)
    }
}
