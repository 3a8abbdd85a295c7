import BenchmarkSupport
import HeadroomCore
import HeadroomTestKit

/// Lightning's `Tuner.scale_batch_size`, re-implemented, then a fit at the size it chose.
enum LightningMode: String {
    case power, binsearch
}

/// Lightning's defaults: `init_val=2`, `max_trials=25`, `steps_per_trial=3`.
private let initialSize = 2, maxTrials = 25, stepsPerTrial = 3

/// Tunes (each trial runs `steps_per_trial` batches of throwaway items on the
/// device, its time counted), then processes every item at the chosen size.
/// A later out-of-memory error is not recovered from, as in `trainer.fit`: the run
/// stops there and is reported as failed at that item.
func runLightning(_ scenario: Scenario, mode: LightningMode) throws -> Outcome {
    let device = scenario.makeDevice()
    var outcome = Outcome(strategy: "Lightning \(mode.rawValue)")
    var trials = Trials(device: device, cap: scenario.maximumSize)
    let chosen = mode == .power ? trials.power() : trials.binsearch()
    outcome.failures = trials.failures
    outcome.failuresUntilSettled = trials.failures
    outcome.settledSize = chosen
    outcome.settledAt = device.now
    let tuning = device.now

    let items = Array(0..<scenario.items)
    var outputs: [Int] = []
    outputs.reserveCapacity(items.count)
    var next = 0
    while next < items.count {
        let end = min(next + chosen, items.count)
        do {
            outputs += try device.process(items[next..<end]) { $0 }
        } catch {
            outcome.failures += 1
            outcome.stopped = (next, device.now)
            break
        }
        next = end
    }
    outcome.itemsDone = outputs.count
    outcome.seconds = device.now
    if let stopped = outcome.stopped {
        outcome.note = "fit failed: OOM at item \(grouped(stopped.item)) (t=\(stopped.time.fixed(1)) s), no recovery"
    } else {
        try checkExactlyOnce(outputs, count: scenario.items, strategy: outcome.strategy)
        outcome.note = "tuning \(tuning.fixed(2)) s in \(trials.count) trials"
    }
    return outcome
}

/// The trials of `scale_batch_size`: each one `steps_per_trial` batches at a size.
private struct Trials {
    let device: SimulatedDevice
    /// `_adjust_batch_size` caps at the dataset's length; the scenario's maximum stands in for it.
    let cap: Int
    var failures = 0
    var count = 0

    init(device: SimulatedDevice, cap: Int) {
        self.device = device
        self.cap = cap
    }

    /// One trial: `steps_per_trial` batches; false at the first out-of-memory error.
    mutating func run(_ size: Int) -> Bool {
        count += 1
        for _ in 0..<stepsPerTrial {
            do { try device.run(batchOf: size) } catch { failures += 1; return false }
        }
        return true
    }

    /// `_adjust_batch_size`: a value, or the size times a factor (`int(...)`), capped; and whether it changed.
    func adjust(_ size: Int, value: Int? = nil, factor: Double = 1) -> (Int, Bool) {
        let new = min(value ?? Int(Double(size) * factor), cap)
        return (new, new != size)
    }

    /// `_run_power_scaling`: double after each success; after a failure halve, and stop if anything succeeded.
    mutating func power() -> Int {
        var size = min(initialSize, cap)
        var anySuccess = false
        var lastSuccessful = size
        for trial in 0..<maxTrials {
            if run(size) {
                lastSuccessful = size
                if trial + 1 >= maxTrials { size = lastSuccessful; break }
                let (new, changed) = adjust(size, factor: 2)
                size = new
                if !changed { break }
                anySuccess = true
            } else {
                size = adjust(size, factor: 0.5).0
                if anySuccess { break }
            }
        }
        return size
    }

    /// `_run_binary_scaling`: double until a failure, then bisect between the last success and the failure.
    mutating func binsearch() -> Int {
        var size = min(initialSize, cap)
        var low = 1
        var high: Int?
        var successes = 0
        var lastSuccessful = size
        while true {
            if run(size) {
                lastSuccessful = size
                successes += 1
                if successes >= maxTrials { size = lastSuccessful; break }
                low = size
                let changed: Bool
                if let high, high != 0 {
                    if high - low <= 1 { break }
                    (size, changed) = adjust(size, value: (high + low) / 2)
                } else {
                    (size, changed) = adjust(size, factor: 2)
                }
                if !changed { break }
            } else {
                let failed = size
                high = failed
                size = adjust(size, value: (failed + low) / 2).0
                if failed - low <= 1 { break }
            }
        }
        return size
    }
}
