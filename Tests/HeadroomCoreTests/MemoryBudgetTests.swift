import HeadroomCore
import HeadroomTestKit
import Testing

@Suite("MemoryBudget")
struct MemoryBudgetTests {
    @Test("usable is free × the level's margin", arguments: OptimizationLevel.allCases)
    func usable(level: OptimizationLevel) {
        let budget = MemoryBudget(free: .gibibytes(80), level: level)
        #expect(budget.usable == ByteCount.gibibytes(80) * level.safetyMargin)
    }

    @Test("the largest batch is ⌊(usable − fixed) ÷ per-item⌋, 0 when one does not fit, Int.max without per-item memory")
    func largestBatch() {
        let budget = MemoryBudget(free: .gibibytes(80), level: .balanced)  // 60 GiB usable
        #expect(budget.largestBatch(fixed: .gibibytes(4), perItem: .mebibytes(300)) == (56 << 30) / (300 << 20))
        #expect(budget.largestBatch(fixed: .gibibytes(60), perItem: ByteCount(1)) == 0)
        #expect(budget.largestBatch(fixed: .gibibytes(70), perItem: .mebibytes(1)) == 0)
        #expect(budget.largestBatch(fixed: .zero, perItem: .zero) == .max)
    }

    @Test("for any figures, the batch fits and one more does not")
    func largestBatchIsTight() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let budget = MemoryBudget(free: ByteCount(Int64.random(in: 0...(1 << 44), using: &random)),
                                      level: OptimizationLevel.allCases.randomElement(using: &random)!)
            let fixed = ByteCount(Int64.random(in: 0...(1 << 43), using: &random))
            let perItem = ByteCount(Int64.random(in: 1...(1 << 34), using: &random))
            let batch = Int64(budget.largestBatch(fixed: fixed, perItem: perItem))
            #expect(batch >= 0)
            if batch > 0 { #expect(fixed.bytes + batch * perItem.bytes <= budget.usable.bytes) }
            #expect(fixed.bytes + (batch + 1) * perItem.bytes > budget.usable.bytes)
        }
    }
}

@Suite("EffectiveMemory")
struct EffectiveMemoryTests {
    @Test("the lower of host and container, with which one it is")
    func lower() {
        let host = EffectiveMemory(hostTotal: .gibibytes(64), hostAvailable: .gibibytes(40))
        #expect(host.limit == .gibibytes(64) && host.limitSource == .host)
        #expect(host.available == .gibibytes(40) && host.availableSource == .host)
        #expect(host.reason.contains("no container limit"))

        let container = EffectiveMemory(hostTotal: .gibibytes(64), hostAvailable: .gibibytes(40),
                                        containerLimit: .gibibytes(8), containerAvailable: .gibibytes(3))
        #expect(container.limit == .gibibytes(8) && container.limitSource == .container)
        #expect(container.available == .gibibytes(3) && container.availableSource == .container)
        #expect(container.reason == "the container's limit (8.0 GiB) is below host RAM (64.0 GiB)")

        let roomy = EffectiveMemory(hostTotal: .gibibytes(64), hostAvailable: .gibibytes(2),
                                    containerLimit: .gibibytes(128), containerAvailable: .gibibytes(100))
        #expect(roomy.limit == .gibibytes(64) && roomy.available == .gibibytes(2))
        #expect(roomy.limitSource == .host && roomy.availableSource == .host)
    }
}

@Suite("Share grammar")
struct ShareGrammarTests {
    @Test("0.9 and 90% are the same share; what is not a finite number is nil")
    func shares() {
        #expect(MemoryAmount.share(parsing: "0.9") == 0.9)
        #expect(MemoryAmount.share(parsing: "90%") == 0.9)
        #expect(MemoryAmount.share(parsing: " 5 % ") == 0.05)
        #expect(MemoryAmount.share(parsing: "1") == 1)
        for bad in ["", "%", "abc", "nan", "inf", "1e999", "12GiB"] {
            #expect(MemoryAmount.share(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test("printed and parsed again, any share comes back")
    func roundTrip() {
        var random = SeededGenerator(seed: 11)
        for _ in 0..<1000 {
            let percent = Double(Int.random(in: 0...100_000, using: &random)) / 1000
            let parsed = try? #require(MemoryAmount.share(parsing: "\(percent)%"))
            #expect(abs((parsed ?? -1) - percent / 100) < 1e-12)
            #expect(MemoryAmount.share(parsing: "\(percent / 100)") == percent / 100)
        }
    }
}

@Suite("Duration grammar")
struct DurationGrammarTests {
    @Test("units, and what is refused")
    func units() {
        #expect(Duration(parsing: "500ms") == .milliseconds(500))
        #expect(Duration(parsing: "1.5s") == .milliseconds(1500))
        #expect(Duration(parsing: "2m") == .seconds(120))
        #expect(Duration(parsing: "1h") == .seconds(3600))
        #expect(Duration(parsing: "168h") == .longestParsed)
        for bad in ["", "5", "s", "-1s", "1e20s", "169h", "nans", "infs", "1.5", "2 s", "1d"] {
            #expect(Duration(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test("printed and parsed again, any duration in range comes back; past the range, an error")
    func roundTrip() {
        var random = SeededGenerator(seed: 5)
        let longest = Int64(7 * 86_400_000)
        for _ in 0..<2000 {
            let duration = Duration.milliseconds(Int64.random(in: 0...longest, using: &random))
            #expect(Duration(parsing: duration.parsableText) == duration, "\(duration.parsableText)")
            let past = Int64.random(in: (longest + 1)...Int64.max, using: &random)
            #expect(Duration(parsing: "\(past)ms") == nil)
            #expect(Duration(parsing: "\(Double(past) * Double.random(in: 1...1e12, using: &random))s") == nil)
        }
    }
}
