@testable import HeadroomMonitor
import Testing

@Suite("WatchSummary: GPU memory that could not be attributed")
struct WatchSummaryAttributionTests {
    static func sample(_ time: Double, unattributed: Int64?, note: String?) -> MemorySample {
        var gpu = GPUSample(index: 0, name: "L4", total: .gibibytes(24), used: .gibibytes(4), treeUsed: .zero)
        gpu.unattributed = unattributed.map { .gibibytes($0) }
        gpu.attribution = note
        return MemorySample(time: time, hostTotal: .gibibytes(32), hostAvailable: .gibibytes(20),
                            processes: [WatchSummaryTests.process(1, rss: 100, pss: nil)], gpus: [gpu])
    }

    @Test("the largest unattributed figure and the last note are kept and shown, never a bare zero for the tree")
    func unattributed() {
        let note = "GPU0: 3.0 GiB held by processes outside this PID namespace; cannot attribute (no process of the tree holds /dev/nvidia0)"
        let summary = WatchSummaryTests.summary([
            Self.sample(0, unattributed: 1, note: nil),
            Self.sample(1, unattributed: 3, note: note),
            Self.sample(2, unattributed: 2, note: note),
        ])
        #expect(summary.gpus.first?.unattributed?.bytes == .gibibytes(3))
        #expect(summary.gpus.first?.unattributed?.time == 1)
        #expect(summary.gpus.first?.attribution == note)
        let lines = summary.lines
        #expect(lines.contains { $0.label == "  unattributed" && $0.value.hasPrefix("up to 3.0 GiB at 00:01") })
        #expect(lines.contains { $0.label == "  attribution" && $0.value == note })
    }

    @Test("where PIDs matched, no unattributed line")
    func none() {
        let summary = WatchSummaryTests.summary([Self.sample(0, unattributed: nil, note: nil)])
        #expect(summary.gpus.first?.unattributed == nil)
        #expect(!summary.lines.contains { $0.label.contains("unattributed") })
    }
}
