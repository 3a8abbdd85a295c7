extension ByteCount: CustomStringConvertible {
    /// The size in IEC units with one decimal: `512 B`, `1.5 KiB`, `12.4 GiB`.
    public var description: String { formatted() }

    /// The size in the largest IEC unit that keeps the number at or above one.
    ///
    /// - Parameter decimals: digits after the point for units above bytes.
    public func formatted(decimals: Int = 1) -> String {
        let sign = bytes < 0 ? "-" : ""
        let magnitude = bytes.magnitude
        guard magnitude >= 1024 else { return "\(sign)\(magnitude) B" }
        let unit = displayUnit
        return "\(sign)\(fixed(Double(magnitude) / unit.bytes, decimals: decimals)) \(unit.name)"
    }

    /// The IEC unit ``formatted(decimals:)`` writes this size in, and the bytes in one of it:
    /// for figures that must share a unit (`5.2/16.0 GiB`, a chart's axis).
    package var displayUnit: (name: String, bytes: Double) {
        let magnitude = Double(bytes.magnitude)
        var unit = 0
        var scale = 1.0
        while magnitude / scale >= 1024, unit < ByteUnit.iecNames.count - 1 {
            scale *= 1024
            unit += 1
        }
        return (ByteUnit.iecNames[unit], scale)
    }
}

/// Formats `value` with exactly `decimals` digits after the point, without Foundation.
func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<max(0, decimals) { scale *= 10 }
    let rounded = (abs(value) * scale).rounded()
    guard rounded < 9e18 else { return "\(value)" }
    let whole = UInt64(rounded)
    let integerPart = whole / UInt64(scale)
    let sign = value < 0 && whole != 0 ? "-" : ""
    guard decimals > 0 else { return "\(sign)\(integerPart)" }
    var fraction = String(whole % UInt64(scale))
    while fraction.count < decimals { fraction = "0" + fraction }
    return "\(sign)\(integerPart).\(fraction)"
}

enum ByteUnit {
    static let iecNames = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
}
