import Synchronization

/// A shared counter for tests that count calls from many tasks.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)

    func add(_ n: Int = 1) { count.add(n, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
