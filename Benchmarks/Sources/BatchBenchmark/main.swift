#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomCore
import HeadroomTestKit

// Headroom's adaptive batcher against accelerate's and Lightning's batch-size
// rules and an oracle, on the simulated device. Every figure is simulated time,
// so the output is the same on every run and every machine.

let scenarios = Scenario.all()
let device = scenarios[0].configuration
print("""
    Adaptive batching on the simulated device: a batch of n costs \(device.overheadSeconds.fixed(2)) s + n × \(device.secondsPerItem.fixed(3)) s, \
    an OOM \(device.failureSeconds.fixed(2)) s.
    Throughput is items per simulated second over the whole run: tuning trials, failures and lost work included.
    Settled: Headroom when its BatchSizeSearch first settles; the others when their size last changes. settled/best
      compares that size with the largest that never runs out of memory at that moment.
    accelerate: find_executable_batch_size; on OOM batch_size = int(batch_size × 0.9) and the whole pass restarts from item 0.
    Lightning: scale_batch_size (init 2, max_trials 25, steps_per_trial 3; trial time counted, trial items extra), then
      every item at the chosen size; an OOM after tuning is not recovered (as in trainer.fit): the run fails there.
    The bars are the issue's bars for Headroom, shown for every strategy to compare.

    """)

var results: [(Scenario, [Outcome], Outcome)] = []
do {
    for scenario in scenarios {
        let oracle = try runFixedOracle(scenario)
        var outcomes = [
            try await runHeadroom(scenario),
            try runAccelerate(scenario, startingSize: scenario.maximumSize, label: "start = max"),
            try runAccelerate(scenario, startingSize: 128, label: "start 128"),
            try runLightning(scenario, mode: .power),
            try runLightning(scenario, mode: .binsearch),
            oracle,
        ]
        if !scenario.configuration.competitor.isEmpty {
            outcomes.append(try runVaryingOracle(scenario))
        }
        results.append((scenario, outcomes, oracle))
        print(renderScenario(scenario, outcomes: outcomes, oracle: oracle))
        print()
    }
} catch {
    print("batch-benchmark: \(error)")
    exit(1)
}
print(renderSummary(results))
print()
print(renderVerdicts(results))
