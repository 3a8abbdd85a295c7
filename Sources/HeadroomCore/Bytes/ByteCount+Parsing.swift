/// An error in a size someone typed, such as `-1GB`, `abc` or `99999999 EiB`.
public struct ByteCountParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was typed.
    public var input: String
    /// Why it is not a size.
    public var reason: String

    public var description: String { "invalid size '\(input)': \(reason)" }
}

extension ByteCount {
    /// Parses a size as people type it.
    ///
    /// A number (integer or decimal) and an optional unit, with or without a
    /// space, in any letter case:
    /// - IEC units are powers of 1024: `KiB`, `MiB`, `GiB`, `TiB`, `PiB`, `EiB` (also `Ki`, `Mi`…);
    /// - a bare letter is a power of 1024 too, as in `docker --memory 4g` and `-Xmx4g`: `K`, `M`, `G`, `T`, `P`, `E`;
    /// - SI units with a `B` are powers of 1000: `KB`, `MB`, `GB`, `TB`, `PB`, `EB`;
    /// - `B` or nothing means bytes.
    ///
    /// - Throws: ``ByteCountParseError`` for a negative, empty, malformed or
    ///   overflowing size, or an unknown unit.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace()
        let fail = { (reason: String) in ByteCountParseError(input: text, reason: reason) }
        guard !trimmed.isEmpty else { throw fail("empty; expected a number and a unit, such as 512MiB or 4G") }
        if trimmed.hasPrefix("-") { throw fail("a size cannot be negative") }
        let numberEnd = trimmed.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? trimmed.endIndex
        let numberText = String(trimmed[..<numberEnd])
        let unitText = String(trimmed[numberEnd...]).trimmingWhitespace()
        guard !numberText.isEmpty, numberText.filter({ $0 == "." }).count <= 1, numberText != "." else {
            throw fail("expected a number first, such as 512MiB, 4G or 1.5 GiB")
        }
        guard let multiplier = ByteCount.unitMultiplier(unitText) else {
            throw fail("unknown unit '\(unitText)'; use B, KiB, MiB, GiB, TiB (powers of 1024), K/M/G/T (also 1024), or KB/MB/GB/TB (powers of 1000)")
        }
        if let whole = Int64(numberText) {
            let (product, overflow) = whole.multipliedReportingOverflow(by: multiplier)
            guard !overflow else { throw fail("too large; the most is 8 EiB") }
            self.init(product)
            return
        }
        guard let value = Double(numberText), value.isFinite else { throw fail("'\(numberText)' is not a number") }
        let product = (value * Double(multiplier)).rounded()
        // 2^63 is the first Double past Int64.max, so anything below it converts without trapping.
        guard product < 0x1p63 else { throw fail("too large; the most is 8 EiB") }
        self.init(Int64(product))
    }

    private static func unitMultiplier(_ unit: String) -> Int64? {
        switch unit.lowercased() {
        case "", "b", "byte", "bytes": return 1
        case "k", "ki", "kib": return 1 << 10
        case "m", "mi", "mib": return 1 << 20
        case "g", "gi", "gib": return 1 << 30
        case "t", "ti", "tib": return 1 << 40
        case "p", "pi", "pib": return 1 << 50
        // The formatter writes EiB for sizes from 1 EiB up, so the parser must read it back.
        case "e", "ei", "eib": return 1 << 60
        case "kb": return 1_000
        case "mb": return 1_000_000
        case "gb": return 1_000_000_000
        case "tb": return 1_000_000_000_000
        case "pb": return 1_000_000_000_000_000
        case "eb": return 1_000_000_000_000_000_000
        default: return nil
        }
    }
}

/// A memory amount given either as a size or as a share of some whole, as flags take them.
///
/// `"12GiB"` is ``size(_:)``; `"80%"` and `"0.8"` are ``fraction(_:)``.
public enum MemoryAmount: Sendable, Hashable, CustomStringConvertible {
    case size(ByteCount)
    case fraction(Double)

    /// Parses `80%` or a bare number in (0, 1] as a fraction, and a number with a unit as a size.
    /// Zero, in any form, is an error: a workload cannot run in no memory.
    ///
    /// - Throws: ``ByteCountParseError`` for a fraction outside (0, 100%] or a malformed size.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasSuffix("%") {
            guard let share = MemoryAmount.share(parsing: trimmed) else {
                throw ByteCountParseError(input: text, reason: "'\(trimmed.dropLast())' is not a percentage")
            }
            guard share > 0, share <= 1 else {
                throw ByteCountParseError(input: text, reason: "a percentage must be above 0 and at most 100")
            }
            self = .fraction(share)
        } else if let value = MemoryAmount.share(parsing: trimmed) {
            // A bare number is always a fraction (`1` is all of it, never one byte); a size needs its unit.
            guard value > 0, value <= 1 else {
                throw ByteCountParseError(input: text, reason: "a bare number is a fraction above 0 and at most 1; write a size with its unit, such as 12GiB")
            }
            self = .fraction(value)
        } else {
            let size = try ByteCount(parsing: text)
            guard size.bytes > 0 else { throw ByteCountParseError(input: text, reason: "a size must be above zero") }
            self = .size(size)
        }
    }

    /// A share written `0.9` or `90%` as a number (0.9), whatever its range; `nil` when
    /// it is not a finite number. The one share grammar: `--gpu-fraction`, `--margin`, `--tolerance`.
    public static func share(parsing text: String) -> Double? {
        let trimmed = text.trimmingWhitespace()
        let isPercent = trimmed.hasSuffix("%")
        guard let number = Double(isPercent ? String(trimmed.dropLast()).trimmingWhitespace() : trimmed),
              number.isFinite else { return nil }
        return isPercent ? number / 100 : number
    }

    /// The amount in bytes, taking fractions of `whole`.
    public func resolved(against whole: ByteCount) -> ByteCount {
        switch self {
        case .size(let size): size
        case .fraction(let share): whole * share
        }
    }

    public var description: String {
        switch self {
        case .size(let size): size.description
        case .fraction(let share): "\(fixed(share * 100, decimals: 1))%"
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    package func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
