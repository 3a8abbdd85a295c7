extension Duration {
    /// The duration in seconds, as a floating-point number: what throughput,
    /// back-off and report figures are computed in.
    package var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// The longest duration the grammar takes: a week. Longer is refused, not rounded or wrapped.
    public static let longestParsed = Duration.seconds(7 * 86_400)

    /// Parses `500ms`, `2s`, `1.5s`, `1m` or `1h`: a number of at least 0 and its unit, to the
    /// millisecond. `nil` for anything else, and for more than ``longestParsed``: the value is
    /// checked before it is converted, so `1e20s` is refused instead of overflowing.
    public init?(parsing text: String) {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        guard let unit = units.first(where: { text.hasSuffix($0.suffix) }),
              let number = Double(text.dropLast(unit.suffix.count)), number.isFinite, number >= 0 else { return nil }
        let milliseconds = (number * unit.seconds * 1000).rounded()
        guard milliseconds <= Duration.longestParsed.seconds * 1000 else { return nil }
        self = .milliseconds(Int64(milliseconds))
    }

    /// The duration as the grammar writes it, in whole milliseconds (`1500ms`): parsed again, the same duration.
    public var parsableText: String {
        let parts = components
        return "\(parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000)ms"
    }
}
