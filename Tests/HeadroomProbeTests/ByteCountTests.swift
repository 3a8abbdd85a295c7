import HeadroomProbe
import HeadroomTestKit
import Testing

@Suite("ByteCount parsing")
struct ByteCountParsingTests {
    @Test("sizes as people type them", arguments: [
        ("512MiB", Int64(512) * 1_048_576),
        ("4G", Int64(4) * 1_073_741_824),
        ("4g", Int64(4) * 1_073_741_824),
        ("1.5 GiB", Int64(1_610_612_736)),
        ("10GB", Int64(10_000_000_000)),
        ("10gb", Int64(10_000_000_000)),
        ("0", Int64(0)),
        ("0 B", Int64(0)),
        ("1234", Int64(1234)),
        ("  2 kib\t\n", Int64(2048)),
        ("3 Ki", Int64(3072)),
        ("7 MB", Int64(7_000_000)),
        ("0.5k", Int64(512)),
        ("1 TiB", Int64(1) << 40),
        ("2 PiB", Int64(2) << 50),
        ("3 bytes", Int64(3)),
        ("1.5", Int64(2)),  // a decimal number of bytes rounds to the nearest byte
    ])
    func parses(text: String, bytes: Int64) throws {
        #expect(try ByteCount(parsing: text) == ByteCount(bytes))
    }

    @Test("EiB, which the formatter writes, parses back", arguments: [
        ("1 EiB", Int64(1) << 60),
        ("2e", Int64(2) << 60),
        ("7.5 EiB", Int64(15) << 59),
        ("3 EB", Int64(3_000_000_000_000_000_000)),
    ])
    func exbibytes(text: String, bytes: Int64) throws {
        #expect(try ByteCount(parsing: text) == ByteCount(bytes))
    }

    @Test("a decimal just under the 8 EiB ceiling is accepted")
    func nearCeiling() throws {
        // 7.99 × 2^60 ≈ 9.2118e18: above the old 9.2e18 cut-off, below Int64.max ≈ 9.2234e18.
        let parsed = try ByteCount(parsing: "7.99 EiB")
        let expected = (7.99 * 1_152_921_504_606_846_976.0).rounded()
        #expect(parsed.doubleValue == expected)
        #expect(parsed.bytes > 9_200_000_000_000_000_000)
    }

    @Test("malformed sizes fail and name the input", arguments: [
        ("-1GB", "negative"),
        ("abc", "number first"),
        ("12XB", "unknown unit 'XB'"),
        ("1.2.3G", "number first"),
        ("", "empty"),
        ("   ", "empty"),
        (".", "number first"),
        ("99999999999 TiB", "too large"),
        ("9999999999999999999", "too large"),
        ("8 EiB", "too large"),
        ("8.0 EiB", "too large"),
        ("1e3", "unknown unit 'e3'"),
    ])
    func rejects(text: String, reasonFragment: String) {
        #expect {
            try ByteCount(parsing: text)
        } throws: { error in
            guard let error = error as? ByteCountParseError else { return false }
            return error.input == text
                && error.description.hasPrefix("invalid size '\(text)'")
                && error.reason.contains(reasonFragment)
        }
    }
}

@Suite("ByteCount formatting and arithmetic")
struct ByteCountFormattingTests {
    @Test("IEC units with one decimal", arguments: [
        (Int64(0), "0 B"),
        (Int64(512), "512 B"),
        (Int64(1023), "1023 B"),
        (Int64(1024), "1.0 KiB"),
        (Int64(1536), "1.5 KiB"),
        (Int64(13_314_398_618), "12.4 GiB"),  // 12.4 × 2^30 = 13 314 398 617.6
        (Int64(5) << 40, "5.0 TiB"),
        (Int64(1) << 60, "1.0 EiB"),
        (Int64(-512), "-512 B"),
        (Int64(-1536), "-1.5 KiB"),
        (Int64.max, "8.0 EiB"),
        (Int64.min, "-8.0 EiB"),
    ])
    func formats(bytes: Int64, text: String) {
        #expect(ByteCount(bytes).description == text)
        #expect("\(ByteCount(bytes))" == text)
    }

    @Test("decimals can be chosen")
    func decimals() {
        #expect(ByteCount(1_610_612_736).formatted(decimals: 2) == "1.50 GiB")
        #expect(ByteCount(1_610_612_736).formatted(decimals: 0) == "2 GiB")
        #expect(ByteCount(1_500).formatted(decimals: 3) == "1.465 KiB")  // 1500 / 1024 = 1.46484…
    }

    @Test("+ and − saturate instead of trapping")
    func saturating() {
        #expect(ByteCount(.max) + ByteCount(1) == ByteCount(.max))
        #expect(ByteCount(.max) + ByteCount(.max) == ByteCount(.max))
        #expect(ByteCount(.min) + ByteCount(-1) == ByteCount(.min))
        #expect(ByteCount(.min) - ByteCount(1) == ByteCount(.min))
        #expect(ByteCount(.max) - ByteCount(-1) == ByteCount(.max))
        #expect(ByteCount(5) - ByteCount(7) == ByteCount(-2))
        #expect((ByteCount(5) - ByteCount(7)).clampedToZero == .zero)
        #expect(ByteCount(40) + ByteCount(2) == ByteCount(42))
    }

    @Test("constructors and scaling")
    func constructors() {
        #expect(ByteCount.gibibytes(3).bytes == 3_221_225_472)
        #expect(ByteCount.mebibytes(5).bytes == 5_242_880)
        #expect(ByteCount.kibibytes(-2).bytes == -2048)
        #expect(ByteCount.tebibytes(Int64.max / 2) == ByteCount(.max))
        #expect(ByteCount(clamping: UInt64.max) == ByteCount(.max))
        #expect(ByteCount(clamping: 77) == ByteCount(77))
        #expect(ByteCount(1000) * 0.25 == ByteCount(250))
        #expect(ByteCount(1001) * 0.5 == ByteCount(500))  // rounds down
        #expect(ByteCount(.max) * 4.0 == ByteCount(.max))
        #expect(ByteCount(1) * .infinity == ByteCount(.max))
        #expect(ByteCount(300).fraction(of: ByteCount(1200)) == 0.25)
        #expect(ByteCount(300).fraction(of: .zero) == 0)
    }
}

@Suite("ByteCount round trip (property)")
struct ByteCountPropertyTests {
    /// The bytes one unit of a formatted size stands for.
    static func unitBytes(_ unit: Substring) -> Double {
        let names = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        guard let index = names.firstIndex(of: String(unit)) else { return .nan }
        var value = 1.0
        for _ in 0..<index { value *= 1024 }
        return value
    }

    /// Non-negative values spread over every unit, plus the edges.
    static func samples() -> [Int64] {
        var generator = SeededGenerator(seed: 0x4865_6164_726F_6F6D)
        var values: [Int64] = [0, 1, 1023, 1024, 1025, 1_048_575, 1_048_576, Int64.max, Int64.max - 1,
                               Int64(1) << 62, (Int64(1) << 60) - 1, 8_646_911_284_551_352_320]
        for _ in 0..<4000 {
            let shift = UInt64.random(in: 1...63, using: &generator)
            values.append(Int64(generator.next() >> shift))
        }
        return values
    }

    @Test("parse(format(x)) is within half a tenth of the unit")
    func roundTrip() throws {
        var unitsSeen = Set<String>()
        defer { #expect(unitsSeen == ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"], "the samples cover every unit") }
        for value in Self.samples() {
            let text = ByteCount(value).description
            let parts = text.split(separator: " ")
            try #require(parts.count == 2, "\(value) formatted as \(text)")
            unitsSeen.insert(String(parts[1]))
            let unit = Self.unitBytes(parts[1])
            try #require(!unit.isNaN, "\(value) formatted with unknown unit: \(text)")
            if unit == 1 {
                #expect(try ByteCount(parsing: text) == ByteCount(value), "\(value) → \(text)")
                continue
            }
            // The number shown lies in [1, 1024]; 1024.0 only where rounding carried it up.
            let number = try #require(Double(parts[0]), "\(text)")
            #expect(number >= 1 && number <= 1024, "\(value) → \(text)")
            if number * unit >= 0x1p63 {
                // 8.0 EiB is 2^63, one past Int64.max: too large to parse, by design.
                #expect(throws: ByteCountParseError.self) { try ByteCount(parsing: text) }
                continue
            }
            let parsed = try ByteCount(parsing: text)
            let error = abs(parsed.doubleValue - Double(value))
            #expect(error <= 0.05 * unit * (1 + 1e-9), "\(value) → \(text) → \(parsed.bytes)")
        }
    }

    @Test("negative sizes format as the magnitude with a sign, and never crash")
    func negatives() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let shift = UInt64.random(in: 1...63, using: &generator)
            let value = Int64(generator.next() >> shift)
            guard value > 0 else { continue }
            #expect(ByteCount(-value).description == "-" + ByteCount(value).description)
        }
        // Every Int64 formats, the extremes included, for any number of decimals.
        for value in [Int64.min, Int64.min + 1, -1, 0, 1, Int64.max] {
            for decimals in [-1, 0, 1, 3, 10] {
                #expect(!ByteCount(value).formatted(decimals: decimals).isEmpty)
            }
        }
    }
}

@Suite("MemoryAmount")
struct MemoryAmountTests {
    @Test("fractions and sizes", arguments: [
        ("80%", MemoryAmount.fraction(0.8)),
        (" 50 % ", MemoryAmount.fraction(0.5)),
        ("100%", MemoryAmount.fraction(1)),
        ("0.8", MemoryAmount.fraction(0.8)),
        ("1.0", MemoryAmount.fraction(1)),
        ("12GiB", MemoryAmount.size(ByteCount(12 * 1_073_741_824))),
        ("4g", MemoryAmount.size(ByteCount(4 * 1_073_741_824))),
    ])
    func parses(text: String, amount: MemoryAmount) throws {
        #expect(try MemoryAmount(parsing: text) == amount)
    }

    @Test("out-of-range shares and bad sizes fail", arguments: ["0%", "150%", "1.5", "0.0", "x%", "-5%", "abc", "-1GB"])
    func rejects(text: String) {
        #expect {
            try MemoryAmount(parsing: text)
        } throws: { error in
            (error as? ByteCountParseError)?.input == text
        }
    }

    @Test("resolves against a whole and prints")
    func resolves() throws {
        let whole = ByteCount(10_000)
        #expect(try MemoryAmount(parsing: "80%").resolved(against: whole) == ByteCount(8_000))
        #expect(try MemoryAmount(parsing: "0.25").resolved(against: whole) == ByteCount(2_500))
        #expect(try MemoryAmount(parsing: "1KiB").resolved(against: whole) == ByteCount(1_024))
        #expect(try MemoryAmount(parsing: "80%").description == "80.0%")
        #expect(try MemoryAmount(parsing: "512MiB").description == "512.0 MiB")
    }
}
