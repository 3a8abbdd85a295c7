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

/// A duration such as `500ms`, `2s`, `1.5s` or `1m`.
struct Interval: ExpressibleByArgument {
    /// The longest duration any flag takes, in milliseconds: a week. Longer is refused, not rounded.
    static let longest: Double = 604_800_000

    var duration: Duration
    var text: String

    init(milliseconds: Int64) {
        duration = .milliseconds(milliseconds)
        text = "\(milliseconds)ms"
    }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        guard let (suffix, scale) = units.first(where: { argument.hasSuffix($0.0) }),
              let number = Double(argument.dropLast(suffix.count)), number.isFinite, number >= 0 else { return nil }
        // Checked before converting: a week of milliseconds is far below Int64, 1e20 s is not.
        let milliseconds = (number * scale * 1000).rounded()
        guard milliseconds <= Interval.longest else { return nil }
        duration = .milliseconds(Int64(milliseconds))
        text = argument
    }

    var defaultValueDescription: String { text }
}
