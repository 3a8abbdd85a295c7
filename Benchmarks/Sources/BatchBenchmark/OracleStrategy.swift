import HeadroomTestKit

let fixedOracleName = "oracle, best fixed size"
let varyingOracleName = "oracle, best size each moment"

/// The oracle: every item at the best fixed size, known in advance (the largest that
/// never runs out of memory over the whole run, noise and competitor included).
func runFixedOracle(_ scenario: Scenario) throws -> Outcome {
    let size = scenario.bestFixedSize
    var outcome = try runSized(scenario, strategy: fixedOracleName) { _ in size }
    outcome.comparedBest = size
    outcome.note = "the reference: 100% by definition"
    return outcome
}

/// The varying oracle: each batch at the largest size that fits at that moment
/// (it sees the competitor come and go); only for a scenario with a competitor.
func runVaryingOracle(_ scenario: Scenario) throws -> Outcome {
    var outcome = try runSized(scenario, strategy: varyingOracleName) { time in scenario.bestSize(at: time) }
    outcome.note = "knows when memory is taken and given back"
    return outcome
}

private func runSized(_ scenario: Scenario, strategy: String, size: (Double) -> Int) throws -> Outcome {
    let device = scenario.makeDevice()
    var outcome = Outcome(strategy: strategy)
    let items = Array(0..<scenario.items)
    var outputs: [Int] = []
    outputs.reserveCapacity(items.count)
    var next = 0
    while next < items.count {
        let end = min(next + size(device.now), items.count)
        do {
            outputs += try device.process(items[next..<end]) { $0 }
        } catch {
            throw ContractViolation(description: "\(strategy): the oracle's size \(end - next) ran out of memory at item \(next)")
        }
        next = end
    }
    try checkExactlyOnce(outputs, count: scenario.items, strategy: strategy)
    outcome.failuresUntilSettled = 0
    outcome.settledSize = size(0)
    outcome.itemsDone = outputs.count
    outcome.seconds = device.now
    return outcome
}
