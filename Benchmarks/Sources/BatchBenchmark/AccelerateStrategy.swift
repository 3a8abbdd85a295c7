import BenchmarkSupport
import HeadroomTestKit

/// accelerate's `find_executable_batch_size`, re-implemented: call the whole
/// training function at `batch_size`; on an out-of-memory error set
/// `batch_size = int(batch_size * 0.9)` and call the function again from the
/// first item (what ran before the error is lost), never growing back; at zero, fail.
func runAccelerate(_ scenario: Scenario, startingSize: Int, label: String) throws -> Outcome {
    let device = scenario.makeDevice()
    var outcome = Outcome(strategy: "accelerate 0.9× (\(label))")
    let items = Array(0..<scenario.items)
    var batchSize = startingSize
    while true {
        guard batchSize > 0 else {
            // RuntimeError("No executable batch size found, reached zero.")
            outcome.stopped = (0, device.now)
            outcome.note = "no executable batch size found, reached zero"
            break
        }
        // The decorated function: one pass over the data at a fixed size.
        var outputs: [Int] = []
        outputs.reserveCapacity(items.count)
        do {
            var next = 0
            while next < items.count {
                let end = min(next + batchSize, items.count)
                outputs += try device.process(items[next..<end]) { $0 }
                next = end
            }
        } catch {
            outcome.failures += 1
            outcome.recomputed += outputs.count
            batchSize = Int(Double(batchSize) * 0.9)
            outcome.settledAt = device.now
            continue
        }
        try checkExactlyOnce(outputs, count: scenario.items, strategy: outcome.strategy)
        outcome.itemsDone = outputs.count
        break
    }
    outcome.failuresUntilSettled = outcome.failures
    outcome.settledSize = batchSize > 0 ? batchSize : nil
    outcome.seconds = device.now
    if outcome.note.isEmpty {
        outcome.note = outcome.failures == 0 ? "no OOM"
            : "\(startingSize) → \(batchSize) in \(outcome.failures) restarts, \(grouped(outcome.recomputed)) items lost"
    }
    return outcome
}
