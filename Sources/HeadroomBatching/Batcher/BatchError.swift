/// Why a batched run stopped: which items, and the workload's own error.
public struct BatchError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// One item alone ran out of memory: nothing smaller can be tried.
        case singleItemOutOfMemory
        /// The workload threw an error that is not out-of-memory (after any retries).
        case workloadFailed
        /// The workload returned a different number of outputs than it was given items.
        case outputCountMismatch(expected: Int, got: Int)
    }

    public var kind: Kind
    /// The indices of the items in the batch that failed.
    public var items: Range<Int>
    /// The workload's error.
    public var underlying: (any Error)?

    public var description: String {
        let cause = underlying.map { ": \($0)" } ?? ""
        switch kind {
        case .singleItemOutOfMemory:
            return "item \(items.lowerBound) does not fit in memory even alone\(cause)"
        case .workloadFailed:
            return "the batch of items \(items.lowerBound)..<\(items.upperBound) failed\(cause)"
        case .outputCountMismatch(let expected, let got):
            return "the batch of items \(items.lowerBound)..<\(items.upperBound) returned \(got) outputs for \(expected) items"
        }
    }
}
