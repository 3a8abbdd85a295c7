import HeadroomCore
import HeadroomBatching
import HeadroomTestKit

/// Headroom's ``AdaptiveBatcher``: probes from 1 with the scenario's maximum, on the device's clock.
func runHeadroom(_ scenario: Scenario) async throws -> Outcome {
    let device = scenario.makeDevice()
    var outcome = Outcome(strategy: "Headroom (probe from 1)")
    let options = BatchingOptions(start: .probe(from: 1), maximumSize: scenario.maximumSize, now: { device.now })
    let items = Array(0..<scenario.items)
    var executions = [UInt8](repeating: 0, count: scenario.items)
    let result: AdaptiveBatcher.Result<Int>
    do {
        result = try await AdaptiveBatcher(options: options).process(items) { batch in
            let outputs = try device.process(batch) { $0 }
            for item in batch { executions[item] &+= 1 }
            return outputs
        }
    } catch let error as BatchError {
        outcome.failures = device.counts.failures
        outcome.seconds = device.now
        outcome.stopped = (error.items.lowerBound, device.now)
        outcome.note = "stopped: \(error)"
        return outcome
    }
    try checkExactlyOnce(result.outputs, count: scenario.items, strategy: outcome.strategy)
    guard executions.allSatisfy({ $0 == 1 }) else {
        throw ContractViolation(description: "\(outcome.strategy): an item did not run in exactly one successful batch")
    }
    let report = result.report
    let starts = attemptStarts(report)
    outcome.failures = report.outOfMemoryCount
    outcome.failuresUntilSettled = report.outOfMemoryCountUntilSettled
    if let settled = report.settledAtAttempt {
        outcome.settledSize = report.attempts[...settled].filter { $0.outcome == .succeeded }.map(\.size).max()
        outcome.settledAt = starts[settled] + report.attempts[settled].seconds
    }
    outcome.itemsDone = report.items
    outcome.seconds = device.now
    outcome.note = headroomNote(report, starts: starts, scenario: scenario)
    return outcome
}

/// When each attempt began: the device's clock moves only inside attempts, from zero.
private func attemptStarts(_ report: BatchReport) -> [Double] {
    var time = 0.0
    return report.attempts.map { attempt in
        defer { time += attempt.seconds }
        return time
    }
}

/// What the batcher did after it first settled: later failures, and with a
/// competitor, how it followed the memory taken and given back.
private func headroomNote(_ report: BatchReport, starts: [Double], scenario: Scenario) -> String {
    let attempts = report.attempts
    let later = report.outOfMemoryCount - (report.outOfMemoryCountUntilSettled ?? 0)
    let last = attempts.last(where: { $0.outcome == .succeeded && $0.firstItem + $0.size < scenario.items })?.size ?? 0
    var parts = ["\(later) OOM after settling, last full batch \(last)"]
    guard let hold = scenario.configuration.competitor.first else { return parts.joined() }
    let during = attempts.indices.filter { starts[$0] >= hold.start && starts[$0] < hold.end }
    let duringFailures = during.filter { attempts[$0].outcome == .outOfMemory }.count
    let heldBest = scenario.bestSize(at: hold.start)
    if let reached = during.first(where: { attempts[$0].outcome == .succeeded && attempts[$0].size == heldBest }) {
        parts.append("held: \(duringFailures) OOM, at \(heldBest) in \(reached - during[0] + 1) batches")
    } else {
        parts.append("held: \(duringFailures) OOM, never at \(heldBest)")
    }
    let freeBest = scenario.bestSize(at: hold.end)
    if let firstAfter = attempts.indices.first(where: { starts[$0] >= hold.end }),
       let back = attempts.indices.first(where: { $0 >= firstAfter && attempts[$0].outcome == .succeeded && attempts[$0].size >= freeBest }) {
        parts.append("freed: at \(freeBest) again \((starts[back] - hold.end).fixed(1)) s later")
    } else {
        parts.append("freed: never back at \(freeBest)")
    }
    return parts.joined(separator: "; ")
}
