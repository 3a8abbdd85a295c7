import Foundation
import HeadroomMonitor
import Testing

@Suite("TimelineCSV")
struct TimelineCSVTests {
    static let baseColumns = ["time_s", "memory_used_bytes", "memory_limit_bytes", "host_available_bytes",
                              "container_usage_bytes", "pressure_percent", "processes", "tree_rss_bytes",
                              "tree_pss_bytes"]

    /// A file in a fresh temporary directory, removed when the test ends.
    final class Scratch {
        let directory: URL
        var path: String { directory.appendingPathComponent("timeline.csv").path }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-csv-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        /// The file's rows, split into cells; the text must end in a newline.
        func rows() throws -> [[String]] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.isEmpty || text.hasSuffix("\n"), "the last row ends in a newline")
            return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    static func process(_ pid: Int32, rss: Int64, pss: Int64?) -> ProcessSample {
        ProcessSample(pid: pid, parentPID: pid == 1 ? nil : 1, name: "p", rss: ByteCount(rss), pss: pss.map { ByteCount($0) })
    }

    static func write(_ samples: [MemorySample]) throws -> (rows: [[String]], scratch: Scratch) {
        let scratch = try Scratch()
        let csv = TimelineCSV(file: try OutputFile(path: scratch.path))
        for sample in samples { try csv.append(sample) }
        return (try scratch.rows(), scratch)
    }

    @Test("a header, then one row per sample with every figure read")
    func fullRows() throws {
        let samples = [
            MemorySample(time: 0.25, hostTotal: ByteCount(16_000), hostAvailable: ByteCount(9_000),
                         containerLimit: ByteCount(12_000), containerUsage: ByteCount(5_500), pressurePercent: 1.5,
                         processes: [Self.process(1, rss: 700, pss: 600), Self.process(2, rss: 300, pss: 250)],
                         gpus: [GPUSample(index: 0, name: "A", total: ByteCount(80_000), used: ByteCount(20_000),
                                          treeUsed: ByteCount(15_000)),
                                GPUSample(index: 2, name: "B", total: ByteCount(40_000), used: ByteCount(1_000),
                                          treeUsed: ByteCount(0))]),
            // No container: in use is total − available, the limit the host's total.
            MemorySample(time: 61.0004, hostTotal: ByteCount(16_000), hostAvailable: ByteCount(7_000), pressurePercent: 0.125,
                         processes: [Self.process(1, rss: 900, pss: 800)],
                         gpus: [GPUSample(index: 0, name: "A", total: ByteCount(80_000), used: ByteCount(30_000),
                                          treeUsed: ByteCount(25_000)),
                                GPUSample(index: 2, name: "B", total: ByteCount(40_000), used: ByteCount(2_000),
                                          treeUsed: ByteCount(1_000))]),
        ]
        let (rows, _) = try Self.write(samples)
        #expect(rows.count == 3)
        #expect(rows[0] == Self.baseColumns + ["gpu0_used_bytes", "gpu0_total_bytes", "gpu0_tree_bytes",
                                               "gpu2_used_bytes", "gpu2_total_bytes", "gpu2_tree_bytes"])
        #expect(rows[1] == ["0.250", "5500", "12000", "9000", "5500", "1.50", "2", "1000", "850",
                            "20000", "80000", "15000", "1000", "40000", "0"])
        #expect(rows[2] == ["61.000", "9000", "16000", "7000", "", "0.13", "1", "900", "800",
                            "30000", "80000", "25000", "2000", "40000", "1000"])
        // Read by name, the cells are the samples' own figures.
        let header = rows[0]
        for (row, sample) in zip(rows.dropFirst(), samples) {
            func cell(_ name: String) throws -> String { row[try #require(header.firstIndex(of: name))] }
            #expect(try cell("memory_used_bytes") == "\(sample.memoryUsed.bytes)")
            #expect(try cell("memory_limit_bytes") == "\(sample.memoryLimit.bytes)")
            #expect(try cell("tree_rss_bytes") == "\(sample.treeRSS.bytes)")
            #expect(try cell("processes") == "\(sample.processes.count)")
            #expect(try cell("gpu2_tree_bytes") == "\(sample.gpus[1].treeUsed.bytes)")
        }
    }

    @Test("figures not read are empty cells, and every row has the header's width")
    func emptyCells() throws {
        let samples = [
            MemorySample(time: 0, hostTotal: ByteCount(1_000), hostAvailable: ByteCount(400),
                         processes: [Self.process(1, rss: 10, pss: nil)],
                         gpus: [GPUSample(index: 0, name: nil, total: ByteCount(500), used: ByteCount(5), treeUsed: ByteCount(1))]),
            // The GPU is missing from this sample, one process has no PSS, the tree has gone in the next.
            MemorySample(time: 1, hostTotal: ByteCount(1_000), hostAvailable: ByteCount(300), containerLimit: ByteCount(2_000),
                         processes: [Self.process(1, rss: 10, pss: 8), Self.process(2, rss: 20, pss: nil)]),
            MemorySample(time: 2, hostTotal: ByteCount(1_000), hostAvailable: ByteCount(900),
                         gpus: [GPUSample(index: 0, name: nil, total: ByteCount(500), used: ByteCount(0), treeUsed: ByteCount(0)),
                                GPUSample(index: 1, name: nil, total: ByteCount(500), used: ByteCount(7), treeUsed: ByteCount(7))]),
        ]
        let (rows, _) = try Self.write(samples)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.count == Self.baseColumns.count + 3 }, "\(rows.map(\.count))")
        #expect(rows[1] == ["0.000", "600", "1000", "400", "", "", "1", "10", "", "5", "500", "1"])
        // A container limit above the host's total does not raise the limit.
        #expect(rows[2] == ["1.000", "700", "1000", "300", "", "", "2", "30", "", "", "", ""])
        // A GPU that was not there at the start has no columns; GPU 0's are kept.
        #expect(rows[3] == ["2.000", "100", "1000", "900", "", "", "0", "0", "", "0", "500", "0"])
    }

    @Test("no GPUs in the first sample: the base columns only, whatever follows")
    func noGPUColumns() throws {
        let samples = [
            MemorySample(time: 0.0126, hostTotal: ByteCount(100), hostAvailable: ByteCount(40),
                         containerLimit: ByteCount(80), containerUsage: ByteCount(30),
                         processes: [Self.process(1, rss: 5, pss: 4)]),
            MemorySample(time: 1, hostTotal: ByteCount(100), hostAvailable: ByteCount(40),
                         processes: [Self.process(1, rss: 5, pss: 4)],
                         gpus: [GPUSample(index: 0, name: nil, total: ByteCount(9), used: ByteCount(1), treeUsed: ByteCount(1))]),
        ]
        let (rows, _) = try Self.write(samples)
        #expect(rows[0] == Self.baseColumns)
        #expect(rows[1] == ["0.013", "30", "80", "40", "30", "", "1", "5", "4"])
        #expect(rows[2].count == Self.baseColumns.count)
    }

    @Test("each row is on disk as soon as it is appended")
    func flushedPerRow() throws {
        let scratch = try Scratch()
        let csv = TimelineCSV(file: try OutputFile(path: scratch.path))
        #expect(try scratch.rows().isEmpty)
        for (count, time) in [0.0, 1, 2].enumerated() {
            try csv.append(MemorySample(time: time, hostTotal: ByteCount(10), hostAvailable: ByteCount(5),
                                        processes: [Self.process(1, rss: 1, pss: nil)]))
            let rows = try scratch.rows()
            #expect(rows.count == count + 2)
            #expect(rows.last?.first == time.fixed(3))
        }
    }
}
