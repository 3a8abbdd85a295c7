/// Pressure stall information for memory: the share of time tasks waited for memory.
///
/// `some` counts time at least one task stalled; `full` time all non-idle tasks
/// stalled at once. Averages are percentages over 10, 60 and 300 seconds.
public struct MemoryPressure: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var avg10Percent: Double
        public var avg60Percent: Double
        public var avg300Percent: Double
        /// Total stall time in microseconds since boot (or since the cgroup was made).
        public var totalMicroseconds: UInt64
    }

    public var some: Line
    /// Absent on kernels that report only `some`.
    public var full: Line?

    /// Parses the PSI format of `/proc/pressure/memory` and a cgroup's `memory.pressure`.
    /// - Returns: `nil` when no `some` line parses.
    public init?(parsing text: String) {
        var some: Line?
        var full: Line?
        for line in text.lines {
            let parts = line.words
            guard let kind = parts.first else { continue }
            var values: [Substring: Substring] = [:]
            for part in parts.dropFirst() {
                let pair = part.split(ascii: "=", maxSplits: 1)
                if pair.count == 2 { values[pair[0]] = pair[1] }
            }
            guard let a10 = values["avg10"].flatMap({ Double($0) }), let a60 = values["avg60"].flatMap({ Double($0) }),
                  let a300 = values["avg300"].flatMap({ Double($0) }), let total = values["total"].flatMap({ UInt64($0) })
            else { continue }
            let parsed = Line(avg10Percent: a10, avg60Percent: a60, avg300Percent: a300, totalMicroseconds: total)
            if kind == "some" { some = parsed } else if kind == "full" { full = parsed }
        }
        guard let some else { return nil }
        self.some = some
        self.full = full
    }

    /// Reads `/proc/pressure/memory` under `root`; `nil` where the kernel has no PSI.
    public static func read(root: SystemRoot = .live) -> MemoryPressure? {
        root.readIfPresent("/proc/pressure/memory").flatMap(MemoryPressure.init(parsing:))
    }
}
