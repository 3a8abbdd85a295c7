/// A size in bytes: the one type Headroom uses for memory everywhere.
///
/// `ByteCount` holds a signed 64-bit count so that differences (free minus a
/// margin, say) stay representable; constructors from readings clamp at zero.
/// It prints in IEC units (`12.4 GiB`) and parses the forms people type on a
/// command line (`512MiB`, `4G`, `1.5 GiB`); see ``init(parsing:)``.
public struct ByteCount: Sendable, Hashable, Comparable, Codable {
    /// The number of bytes.
    public var bytes: Int64

    /// A size of `bytes` bytes.
    public init(_ bytes: Int64) {
        self.bytes = bytes
    }

    /// A size read from an unsigned source (NVML, the kernel), saturating at `Int64.max`.
    public init(clamping bytes: UInt64) {
        self.bytes = bytes > UInt64(Int64.max) ? Int64.max : Int64(bytes)
    }

    public static let zero = ByteCount(0)

    public static func kibibytes(_ n: Int64) -> ByteCount { ByteCount(n.multipliedSaturating(by: 1 << 10)) }
    public static func mebibytes(_ n: Int64) -> ByteCount { ByteCount(n.multipliedSaturating(by: 1 << 20)) }
    public static func gibibytes(_ n: Int64) -> ByteCount { ByteCount(n.multipliedSaturating(by: 1 << 30)) }
    public static func tebibytes(_ n: Int64) -> ByteCount { ByteCount(n.multipliedSaturating(by: 1 << 40)) }

    /// The size as a floating-point number of bytes, for ratios.
    public var doubleValue: Double { Double(bytes) }

    public static func < (lhs: ByteCount, rhs: ByteCount) -> Bool { lhs.bytes < rhs.bytes }

    /// Encodes as a bare integer number of bytes, as the JSON contract asks.
    public init(from decoder: any Decoder) throws {
        self.bytes = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bytes)
    }
}

extension ByteCount: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        self.bytes = value
    }
}

extension ByteCount: AdditiveArithmetic {
    /// The sum, saturating instead of trapping on overflow.
    public static func + (lhs: ByteCount, rhs: ByteCount) -> ByteCount {
        ByteCount(lhs.bytes.addingSaturating(rhs.bytes))
    }

    /// The difference, saturating instead of trapping on overflow.
    public static func - (lhs: ByteCount, rhs: ByteCount) -> ByteCount {
        ByteCount(lhs.bytes.subtractingSaturating(rhs.bytes))
    }

    /// The size scaled by `factor`, rounded down, saturating at `Int64.max`.
    public static func * (lhs: ByteCount, factor: Double) -> ByteCount {
        let product = (lhs.doubleValue * factor).rounded(.down)
        guard product.isFinite else { return ByteCount(product < 0 ? 0 : .max) }
        if product >= Double(Int64.max) { return ByteCount(.max) }
        if product <= Double(Int64.min) { return ByteCount(.min) }
        return ByteCount(Int64(product))
    }

    /// The share of `whole` this size is, from 0 upwards; zero when `whole` is zero.
    public func fraction(of whole: ByteCount) -> Double {
        whole.bytes > 0 ? doubleValue / whole.doubleValue : 0
    }

    /// This size, or zero where it is negative.
    public var clampedToZero: ByteCount { bytes < 0 ? .zero : self }
}

extension Int64 {
    package func addingSaturating(_ other: Int64) -> Int64 {
        let (result, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : result
    }

    package func subtractingSaturating(_ other: Int64) -> Int64 {
        let (result, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : result
    }

    package func multipliedSaturating(by other: Int64) -> Int64 {
        let (result, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) == (other < 0) ? .max : .min) : result
    }
}
