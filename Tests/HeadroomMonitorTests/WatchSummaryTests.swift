@testable import HeadroomMonitor
import Testing

@Suite("WatchSummary")
struct WatchSummaryTests {
    static func process(_ pid: Int32, rss: Int64, pss: Int64?) -> ProcessSample {
        ProcessSample(pid: pid, parentPID: pid == 1 ? nil : 1, name: "p\(pid)", rss: .mebibytes(rss),
                      pss: pss.map { .mebibytes($0) })
    }

    static func gpu(_ index: Int, name: String?, total: Int64, used: Int64, tree: Int64) -> GPUSample {
        GPUSample(index: index, name: name, total: .gibibytes(total), used: .gibibytes(used), treeUsed: .gibibytes(tree))
    }

    /// Four samples with known peaks: RSS 100 → 500 → 300 MiB, PSS known at the first and third only,
    /// up to three processes, a container peaking at 3 GiB of 8 with OOM kills 1 → 3, GPU 0 peaking
    /// at 1.5 s and GPU 1 appearing at 3 s; then the tree is gone at 4 s.
    static let samples: [MemorySample] = [
        MemorySample(time: 0, hostTotal: .gibibytes(32), hostAvailable: .gibibytes(20), containerLimit: .gibibytes(8),
                     containerUsage: .gibibytes(2), containerOOMKills: 1,
                     processes: [process(1, rss: 100, pss: 80)],
                     gpus: [gpu(0, name: "RTX", total: 24, used: 4, tree: 2)]),
        MemorySample(time: 1.5, hostTotal: .gibibytes(32), hostAvailable: .gibibytes(18), containerLimit: .gibibytes(8),
                     containerUsage: .gibibytes(3), containerOOMKills: 1,
                     processes: [process(1, rss: 300, pss: 250), process(2, rss: 200, pss: nil)],
                     gpus: [gpu(0, name: "RTX", total: 24, used: 10, tree: 8)]),
        MemorySample(time: 3, hostTotal: .gibibytes(32), hostAvailable: .gibibytes(19), containerLimit: .gibibytes(8),
                     containerUsage: .mebibytes(2560), containerOOMKills: 3,
                     processes: [process(1, rss: 150, pss: 120), process(2, rss: 100, pss: 90), process(3, rss: 50, pss: 40)],
                     gpus: [gpu(0, name: "RTX", total: 24, used: 6, tree: 5), gpu(1, name: nil, total: 16, used: 1, tree: 0)]),
        MemorySample(time: 4, hostTotal: .gibibytes(32), hostAvailable: .gibibytes(30), containerLimit: .gibibytes(8),
                     containerUsage: .gibibytes(1), containerOOMKills: 3, processes: [],
                     gpus: [gpu(0, name: "RTX", total: 24, used: 23, tree: 0)]),
    ]

    static func summary(_ samples: [MemorySample]) -> WatchSummary {
        var builder = SummaryBuilder()
        for sample in samples { builder.add(sample) }
        return builder.finish()
    }

    @Test("counts every sample and ends at the last one's time")
    func counts() {
        let summary = Self.summary(Self.samples)
        #expect(summary.samples == 4)
        #expect(summary.seconds == 4)
        #expect(summary.peakProcesses == 3)
    }

    @Test("peaks hold the largest figure and when it happened; samples without the tree are ignored")
    func peaks() throws {
        let summary = Self.summary(Self.samples)
        #expect(summary.peakTreeRSS == WatchSummary.Peak(bytes: .mebibytes(500), time: 1.5))
        // The 1.5 s sample has a process without PSS, so its 450+ MiB is not a PSS figure.
        #expect(summary.peakTreePSS == WatchSummary.Peak(bytes: .mebibytes(250), time: 3))
        #expect(summary.containerLimit == .gibibytes(8))
        #expect(summary.peakContainerUsage == WatchSummary.Peak(bytes: .gibibytes(3), time: 1.5))
        // Kills counted from the first sample: 3 − 1.
        #expect(summary.containerOOMKills == 2)

        #expect(summary.gpus.map(\.index) == [0, 1])
        let first = summary.gpus[0]
        #expect(first.name == "RTX" && first.total == .gibibytes(24))
        // 23 GiB at 4 s came after the tree had gone.
        #expect(first.deviceUsed == WatchSummary.Peak(bytes: .gibibytes(10), time: 1.5))
        #expect(first.treeUsed == WatchSummary.Peak(bytes: .gibibytes(8), time: 1.5))
        let second = summary.gpus[1]
        #expect(second.name == nil && second.total == .gibibytes(16))
        #expect(second.deviceUsed == WatchSummary.Peak(bytes: .gibibytes(1), time: 3))
        #expect(second.treeUsed == WatchSummary.Peak(bytes: .zero, time: 3))
    }

    @Test("an OOM kill that ends the tree is counted: the sample taken after the root has gone carries it")
    func oomKillThatEndsTheTree() {
        // The sampler's last sample is the one with the tree gone, and the kill that ended it shows only there.
        let summary = Self.summary([
            MemorySample(time: 0, hostTotal: .gibibytes(32), hostAvailable: .gibibytes(20), containerLimit: .gibibytes(4),
                         containerUsage: .mebibytes(3_900), containerOOMKills: 0, processes: [Self.process(1, rss: 3_800, pss: nil)]),
            MemorySample(time: 1, hostTotal: .gibibytes(32), hostAvailable: .gibibytes(24), containerLimit: .gibibytes(4),
                         containerUsage: .mebibytes(100), containerOOMKills: 1, processes: []),
        ])
        #expect(summary.containerOOMKills == 1)
        #expect(summary.lines.first { $0.label == "container OOM kills" }?.value == "1 during the run")
    }

    @Test("a tie keeps the time the peak was first reached")
    func tieKeepsFirstTime() {
        let sample = { (time: Double) in
            MemorySample(time: time, hostTotal: .gibibytes(8), hostAvailable: .gibibytes(4),
                         processes: [Self.process(1, rss: 64, pss: nil)])
        }
        let summary = Self.summary([sample(1), sample(2), sample(3)])
        #expect(summary.peakTreeRSS == WatchSummary.Peak(bytes: .mebibytes(64), time: 1))
        #expect(summary.peakTreePSS == nil)
        #expect(summary.containerLimit == nil && summary.peakContainerUsage == nil && summary.containerOOMKills == nil)
        #expect(summary.gpus.isEmpty)
    }

    @Test("no samples, or only samples after the tree has gone: no peaks")
    func nothingToSummarize() {
        #expect(Self.summary([]) == WatchSummary(leakFrom: LeakDetector().analyze([])))
        let gone = Self.summary([MemorySample(time: 2, hostTotal: .gibibytes(8), hostAvailable: .gibibytes(4),
                                              containerUsage: .gibibytes(1))])
        #expect(gone.samples == 1 && gone.seconds == 2)
        #expect(gone.peakTreeRSS == nil && gone.peakContainerUsage == nil && gone.peakProcesses == 0)
    }

    @Test("the leak verdict is on the tree's RSS: steady growth is a leak with its rate, flat is not")
    func leakVerdict() throws {
        let growing = (0..<600).map { second in
            MemorySample(time: Double(second), hostTotal: .gibibytes(64), hostAvailable: .gibibytes(32),
                         processes: [Self.process(1, rss: 1_000 + Int64(second), pss: nil)])
        }
        let leak = try #require(Self.summary(growing).leak)
        #expect(leak.isLeak)
        // 1 MiB a second.
        let perMinute = Double(leak.growthPerMinute.bytes) / Double(1 << 20)
        #expect(abs(perMinute - 60) < 1, "\(perMinute) MiB/min")

        let flat = growing.map { sample in
            var sample = sample
            sample.processes = [Self.process(1, rss: 1_000, pss: nil)]
            return sample
        }
        #expect(Self.summary(flat).leak?.isLeak == false)
    }

    @Test("the text form: each figure with its time, plurals and the conditional lines")
    func text() {
        var summary = Self.summary(Self.samples)
        summary.cpuSeconds = 12.345
        summary.exitStatus = 0
        let lines = summary.lines
        #expect(lines.map(\.label) == ["duration", "peak tree RSS", "peak tree PSS", "peak VRAM GPU0", "peak VRAM GPU1",
                                       "peak container", "container OOM kills", "CPU time", "leak check", "exit"])
        #expect(lines.map(\.value) == [
            "00:04 (4 samples)",
            "500.0 MiB at 00:01 (3 processes at most)",
            "250.0 MiB at 00:03",
            "tree 8.0 GiB at 00:01; device 10.0 GiB at 00:01 of 24.0 GiB RTX",
            "tree 0 B at 00:03; device 1.0 GiB at 00:03 of 16.0 GiB",
            "3.0 GiB at 00:01 of 8.0 GiB",
            "2 during the run",
            "12.3 s",
            // Three samples had the tree, two of them after the warm-up.
            "no leak: too few samples after the warm-up (2, need 16)",
            "status 0",
        ])
    }

    @Test("one sample and one process are singular")
    func singular() {
        let summary = Self.summary([MemorySample(time: 75, hostTotal: .gibibytes(8), hostAvailable: .gibibytes(4),
                                                 processes: [Self.process(1, rss: 2048, pss: nil)])])
        let lines = Dictionary(summary.lines.map { ($0.label, $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(lines["duration"] == "01:15 (1 sample)")
        #expect(lines["peak tree RSS"] == "2.0 GiB at 01:15 (1 process)")
        #expect(lines["peak tree PSS"] == nil && lines["peak container"] == nil && lines["container OOM kills"] == nil)

        let none = WatchSummary()
        #expect(none.lines.map(\.value) == ["00:00 (0 samples)"])
    }

    @Test("OOM kills show inside a limited container, or wherever a kill was counted")
    func oomKillLine() {
        var summary = WatchSummary()
        summary.containerOOMKills = 0
        #expect(!summary.lines.contains { $0.label == "container OOM kills" })
        summary.containerLimit = .gibibytes(4)
        #expect(summary.lines.first { $0.label == "container OOM kills" }?.value == "0 during the run")
        summary.containerLimit = nil
        summary.containerOOMKills = 1
        #expect(summary.lines.first { $0.label == "container OOM kills" }?.value == "1 during the run")
    }

    @Test("a leak, a signal and an hour-long run in words")
    func leakSignalAndHours() {
        var summary = WatchSummary()
        summary.seconds = 3_725
        summary.samples = 2
        summary.leak = LeakVerdict(isLeak: true, growthPerMinute: .mebibytes(3), confidence: 0.99874, samples: 100,
                                   reason: "unused")
        summary.signal = 9
        let lines = summary.lines
        #expect(lines.map(\.label) == ["duration", "leak check", "exit"])
        #expect(lines.map(\.value) == ["1:02:05 (2 samples)", "leak: +3.0 MiB/min (confidence 99.9%)", "killed by signal 9"])
    }
}

extension WatchSummary {
    /// An empty summary with only the leak verdict set, as ``SummaryBuilder/finish(detector:)`` returns one.
    init(leakFrom verdict: LeakVerdict) {
        self.init()
        leak = verdict
    }
}
