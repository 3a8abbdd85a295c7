@testable import HeadroomCache
import HeadroomCore
import HeadroomTestKit
import Testing

/// The large-shard shift detector: the share of misses that were returns, fast against slow.
@Suite("Shifts seen in the returns per miss")
struct ReturnAveragesTests {
    /// Feeds `count` misses, each a return with probability `share`; the index of the first miss
    /// that reported a shift, or nil.
    static func feed(_ averages: inout ReturnAverages, share: Double, count: Int, span: Double,
                     random: inout SeededGenerator) -> Int? {
        var first: Int?
        for i in 0..<count {
            let returning = Double.random(in: 0..<1, using: &random) < share
            if averages.record(returning: returning, span: span, warm: true, settling: false), first == nil { first = i }
        }
        return first
    }

    /// Averages warmed up on `share` (the cache has filled) over `span`.
    static func warmed(share: Double, span: Double, random: inout SeededGenerator) -> ReturnAverages {
        var averages = ReturnAverages()
        for _ in 0..<Int(8 * span) {
            _ = averages.record(returning: Double.random(in: 0..<1, using: &random) < share, span: span,
                                warm: false, settling: false)
        }
        return averages
    }

    @Test("only shards of at least 1,024 entries use them: over fewer misses a sample is noise")
    func span() {
        #expect(ReturnAverages.span(entries: 1023) == nil)
        #expect(ReturnAverages.span(entries: 1024) == 256)
        #expect(ReturnAverages.span(entries: 10_000) == 2500)
    }

    @Test("a steady share of returns is never a shift, at any level", arguments: [0.02, 0.1, 0.3, 0.6])
    func steady(share: Double) {
        var random = SeededGenerator(seed: UInt64(share * 1000))
        for span in [256.0, 1000, 4000] {
            var averages = Self.warmed(share: share, span: span, random: &random)
            #expect(Self.feed(&averages, share: share, count: Int(200 * span), span: span, random: &random) == nil,
                    "share \(share), span \(span)")
        }
    }

    @Test("a surge of returns is a shift within a few spans, once it has lasted one")
    func surge() throws {
        var random = SeededGenerator(seed: 1)
        let span = 625.0
        var averages = Self.warmed(share: 0.11, span: span, random: &random)
        #expect(Self.feed(&averages, share: 0.11, count: 50_000, span: span, random: &random) == nil)
        let seen = try #require(Self.feed(&averages, share: 0.3, count: 10_000, span: span, random: &random))
        #expect(Double(seen) >= span && Double(seen) <= 4 * span, "seen after \(seen) misses")
    }

    @Test("a scan's misses, which never return, do not pull the level down so far that the returns after it read as a surge")
    func scan() {
        var random = SeededGenerator(seed: 2)
        let span = 625.0
        var averages = Self.warmed(share: 0.12, span: span, random: &random)
        for _ in 0..<5 {
            #expect(Self.feed(&averages, share: 0.12, count: 20_000, span: span, random: &random) == nil)
            // A scan of 8 spans' worth of misses, none of them returns.
            #expect(Self.feed(&averages, share: 0, count: Int(8 * span), span: span, random: &random) == nil)
        }
        #expect(Self.feed(&averages, share: 0.12, count: 20_000, span: span, random: &random) == nil)
    }

    @Test("while a shift is answered the slow average keeps the level from before it, and it settles when the returns are back")
    func settling() {
        var random = SeededGenerator(seed: 3)
        let span = 625.0
        var averages = Self.warmed(share: 0.1, span: span, random: &random)
        #expect(Self.feed(&averages, share: 0.1, count: 50_000, span: span, random: &random) == nil)
        let before = averages.slow
        for _ in 0..<Int(3 * span) { _ = averages.record(returning: true, span: span, warm: true, settling: true) }
        #expect(averages.slow == before)
        #expect(!averages.isSettled)
        for _ in 0..<Int(6 * span) {
            _ = averages.record(returning: Double.random(in: 0..<1, using: &random) < 0.1, span: span, warm: true,
                                settling: true)
        }
        #expect(averages.isSettled)
    }

    @Test("a large shard's window grows by at most a tenth of the shard a period on returns; a small one's as the ghosts say")
    func growthPerPeriod() {
        var large = WindowAdaptation()
        var grown = 0.0
        while large.allowGrowth(by: 0.001, entries: 2000) { grown += 0.001 }
        #expect(grown >= 0.099 && grown <= 0.101)
        var small = WindowAdaptation()
        var allowed = 0
        for _ in 0..<500 where small.allowGrowth(by: 0.001, entries: 500) { allowed += 1 }
        #expect(allowed == 500)
        _ = large.endPeriod(requests: 10_000, entries: 2000, share: 0.2)
        let again = large.allowGrowth(by: 0.001, entries: 2000)
        #expect(again)
    }
}
