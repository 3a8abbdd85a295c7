/// What one strategy did on one scenario, in simulated time.
struct Outcome {
    var strategy: String
    /// Out-of-memory errors in all (tuning trials, recomputed passes, probes, a fatal one).
    var failures = 0
    /// Out-of-memory errors until the size first settled (nil: it never did).
    var failuresUntilSettled: Int?
    /// The size at that point: the batcher's first settled size, the tuner's choice, the size that finished.
    var settledSize: Int?
    /// The simulated time the size settled, to compare it with the best size at that moment.
    var settledAt: Double = 0
    /// The best size to compare the settled one with, where it is not the best at ``settledAt``.
    var comparedBest: Int?
    /// Items of the dataset processed more than once (work lost to an out-of-memory restart).
    var recomputed = 0
    /// Items of the dataset processed, each once, in the pass that counts.
    var itemsDone = 0
    /// Simulated seconds from the first batch (or tuning trial) to the last.
    var seconds: Double = 0
    /// Where a strategy with no recovery stopped: the first item of the batch that failed, and when.
    var stopped: (item: Int, time: Double)?
    /// A remark for the table's last column.
    var note = ""

    init(strategy: String) {
        self.strategy = strategy
    }

    /// Items per simulated second, or nil for a run that did not finish.
    var throughput: Double? {
        stopped == nil && seconds > 0 ? Double(itemsDone) / seconds : nil
    }
}

/// A strategy broke the contract every strategy is held to: all items, each once, in order.
struct ContractViolation: Error, CustomStringConvertible {
    var description: String
}

/// Checks that `outputs` is every item of `0..<count` once, in order.
func checkExactlyOnce(_ outputs: [Int], count: Int, strategy: String) throws {
    guard outputs.count == count else {
        throw ContractViolation(description: "\(strategy): \(outputs.count) outputs for \(count) items")
    }
    for (index, output) in outputs.enumerated() where output != index {
        throw ContractViolation(description: "\(strategy): output \(index) is item \(output)")
    }
}
