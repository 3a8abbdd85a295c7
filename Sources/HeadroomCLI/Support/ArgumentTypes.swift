import ArgumentParser
import HeadroomAdvisor
import HeadroomRun

extension OptimizationLevel: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension Framework: ExpressibleByArgument {}

/// `--level`, shared by every command that recommends.
struct LevelOption: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "How much of the free memory to plan for: conservative (50%), balanced (75%), aggressive (85%), extreme (95%).",
        valueName: "level"))
    var level: OptimizationLevel = .balanced
}

/// Where the probes read `/proc` and `/sys`; hidden, for tests against fixture trees.
struct ProbeOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: .private)
    var systemRoot: String = "/"

    /// A snapshot of the machine (or of the fixture tree), as a failure the message explains.
    func snapshot(pid: Int32? = nil, includePSS: Bool) throws -> MemorySnapshot {
        do {
            return try SystemProbe(root: SystemRoot(systemRoot)).snapshot(pid: pid, includePSS: includePSS)
        } catch {
            throw CommandFailure(description: "cannot read host memory: \(error)")
        }
    }
}

/// Parses `--pid` values, refusing what cannot be a process ID.
struct ProcessID: ExpressibleByArgument {
    var value: Int32

    init?(argument: String) {
        guard let value = Int32(argument), value > 0 else { return nil }
        self.value = value
    }
}

/// A share such as `0.9` or `90%`.
struct Share: ExpressibleByArgument {
    var value: Double

    init(_ value: Double) {
        self.value = value
    }

    init?(argument: String) {
        guard let share = MemoryAmount.share(parsing: argument), share >= 0 else { return nil }
        value = share
    }

    var defaultValueDescription: String { "\(value)" }
}

/// A duration such as `500ms`, `2s`, `1.5s` or `1m` (the grammar of `Duration(parsing:)`: at most a week).
struct Interval: ExpressibleByArgument {
    var duration: Duration
    var text: String

    init(milliseconds: Int64) {
        duration = .milliseconds(milliseconds)
        text = "\(milliseconds)ms"
    }

    init?(argument: String) {
        guard let duration = Duration(parsing: argument) else { return nil }
        self.duration = duration
        text = argument
    }

    var defaultValueDescription: String { text }
}
