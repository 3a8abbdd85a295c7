import ArgumentParser
import Headroom

extension OptimizationLevel: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension Framework: ExpressibleByArgument {}

/// `--level`, shared by every command that recommends.
struct LevelOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "How much of the free memory to plan for: conservative (50%), balanced (75%), aggressive (85%), extreme (95%).",
        valueName: "level"))
    var level: OptimizationLevel = .balanced
}

/// Parses flags that take a share or a size: `0.8`, `80%`, `12GiB`.
struct MemoryAmountArgument: ExpressibleByArgument {
    var amount: MemoryAmount

    init?(argument: String) {
        guard let amount = try? MemoryAmount(parsing: argument) else { return nil }
        self.amount = amount
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
