import BenchmarkSupport
import HeadroomCore

/// The bars of the issue, for one outcome against the scenario's oracle.
struct Bars {
    static let throughputShare = 0.95

    var failuresPass: Bool?
    var throughputShare: Double?
    var throughputPass: Bool

    init(_ outcome: Outcome, scenario: Scenario, oracle: Outcome) {
        failuresPass = outcome.failuresUntilSettled.map { $0 <= scenario.failureBar }
        throughputShare = outcome.throughput.flatMap { mine in oracle.throughput.map { mine / $0 } }
        throughputPass = (throughputShare ?? 0) >= Bars.throughputShare
    }
}

/// One scenario's block: a heading, then every strategy side by side.
func renderScenario(_ scenario: Scenario, outcomes: [Outcome], oracle: Outcome) -> String {
    var heading = "(\(scenario.label)) \(scenario.title); \(grouped(scenario.items)) items, max size \(scenario.maximumSize)\n"
    heading += "    best fixed size \(scenario.bestFixedSize)"
    if let hold = scenario.configuration.competitor.first {
        heading += " (\(scenario.bestSize(at: 0)) before \(hold.start.fixed(1)) s and after \(hold.end.fixed(1)) s)"
    } else if scenario.configuration.noise > 0 {
        heading += " (never OOMs at the largest noise; \(scenario.makeDevice().largestFittingBatch(at: 0)) fits with none)"
    }
    heading += "; bars: OOMs until settled ≤ ⌈log₂ \(scenario.maximumSize)⌉+2 = \(scenario.failureBar), throughput ≥ 95% of the oracle"
    var table = Table([
        ("strategy", .left), ("OOMs", .right), ("OOMs→settled", .right), ("settled/best", .right),
        ("recomputed", .right), ("items/s", .right), ("% oracle", .right), ("OOM bar", .left), ("tput bar", .left),
        ("notes", .left),
    ])
    for outcome in outcomes {
        let isOracle = outcome.strategy.hasPrefix("oracle")
        let bars = Bars(outcome, scenario: scenario, oracle: oracle)
        let best = outcome.comparedBest ?? scenario.bestSize(at: outcome.settledAt)
        let settled = outcome.settledSize.map { "\($0)/\(best)" } ?? "—"
        table.append([
            outcome.strategy,
            "\(outcome.failures)",
            outcome.failuresUntilSettled.map { "\($0)" } ?? "never",
            settled,
            grouped(outcome.recomputed),
            outcome.throughput.map { $0.fixed(1) } ?? "failed",
            bars.throughputShare.map { ($0 * 100).fixed(1) + "%" } ?? "—",
            isOracle ? "" : passFail(bars.failuresPass),
            isOracle ? "" : passFail(bars.throughputPass),
            outcome.note,
        ])
    }
    var text = heading + "\n" + table.render()
    if let varying = outcomes.first(where: { $0.strategy == varyingOracleName }), let best = varying.throughput {
        let shares = outcomes.filter { !$0.strategy.hasPrefix("oracle") }.map { outcome in
            "\(outcome.strategy) " + (outcome.throughput.map { ($0 / best * 100).fixed(1) + "%" } ?? "failed")
        }
        text += "\n  against the oracle that follows the competitor (\(best.fixed(1)) items/s): " + shares.joined(separator: ", ")
    }
    return text
}

/// Every scenario against every strategy: throughput as a share of the oracle, and OOMs until settled.
func renderSummary(_ results: [(Scenario, [Outcome], Outcome)]) -> String {
    var strategies: [String] = []
    for name in results.flatMap({ $0.1.map(\.strategy) }) where !strategies.contains(name) && name != fixedOracleName {
        strategies.append(name)
    }
    var table = Table([("scenario", .left)] + strategies.map { ($0, Table.Alignment.right) })
    for (scenario, outcomes, oracle) in results {
        let cells = strategies.map { name -> String in
            guard let outcome = outcomes.first(where: { $0.strategy == name }) else { return "—" }
            let share = Bars(outcome, scenario: scenario, oracle: oracle).throughputShare.map { ($0 * 100).fixed(1) + "%" } ?? "failed"
            return "\(share) (\(outcome.failuresUntilSettled.map { "\($0)" } ?? "never"))"
        }
        table.append(["(\(scenario.label))"] + cells)
    }
    return "Summary: throughput as % of the best fixed size (OOMs until settled)\n" + table.render()
}

/// One line per bar for Headroom, over all scenarios.
func renderVerdicts(_ results: [(Scenario, [Outcome], Outcome)]) -> String {
    let headroom = results.compactMap { scenario, outcomes, oracle in
        outcomes.first { $0.strategy.hasPrefix("Headroom") }.map { (scenario, $0, Bars($0, scenario: scenario, oracle: oracle)) }
    }
    let failures = headroom.map { scenario, outcome, _ in
        "\(scenario.label) \(outcome.failuresUntilSettled.map { "\($0)" } ?? "never")≤\(scenario.failureBar)"
    }
    let failurePasses = headroom.filter { $0.2.failuresPass == true }.count
    let shares = headroom.map { scenario, _, bars in
        "\(scenario.label) " + (bars.throughputShare.map { ($0 * 100).fixed(1) + "%" } ?? "failed")
    }
    let sharePasses = headroom.filter { $0.2.throughputPass }.count
    func verdict(_ passes: Int) -> String { passes == headroom.count ? "PASS" : "FAIL" }
    return """
        Verdict, OOMs until settled ≤ ⌈log₂ max⌉+2: \(verdict(failurePasses)), \(failurePasses) of \(headroom.count) scenarios (\(failures.joined(separator: ", ")))
        Verdict, throughput ≥ 95% of the best fixed size: \(verdict(sharePasses)), \(sharePasses) of \(headroom.count) scenarios (\(shares.joined(separator: ", ")))
        """
}

private func passFail(_ pass: Bool?) -> String {
    pass.map { $0 ? "pass" : "FAIL" } ?? "—"
}
