import Foundation
import HeadroomMonitor
import HeadroomSystemTestKit
import Testing

@Suite("Sampler")
struct SamplerTests {
    static let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))

    static let meminfo = "MemTotal:       16384000 kB\nMemFree:         1000000 kB\nMemAvailable:    8192000 kB\n"

    /// A tree 100 → (101 → 103), 102, in fixture files.
    static func fixture() throws -> FakeSystemTree {
        try FakeSystemTree(files: [
            "/proc/meminfo": meminfo,
            "/proc/100/statm": "5000 1000 300 1 0 900 0\n", "/proc/100/comm": "python\n",
            "/proc/100/task/100/children": "101 102 ", "/proc/100/task/105/children": "",
            "/proc/101/statm": "2000 200 10 1 0 100 0\n", "/proc/101/comm": "worker\n",
            "/proc/101/task/101/children": "103",
            "/proc/102/statm": "3000 300 10 1 0 100 0\n", "/proc/102/comm": "worker\n",
            "/proc/102/task/102/children": "",
            "/proc/103/statm": "100 50 10 1 0 10 0\n", "/proc/103/comm": "sh\n",
            "/proc/103/task/103/children": "",
        ])
    }

    @Test("the whole tree from children lists, RSS from statm, parents as found")
    func fixtureTree() throws {
        let tree = try Self.fixture()
        let sampler = Sampler(pid: 100, root: tree.root, gpuBackend: NVMLBackend(libraryPath: "/nonexistent"),
                              options: .init(readsGPUs: false, readsContainer: false))
        let sample = sampler.sample()
        #expect(sample.processes.map(\.pid) == [100, 101, 102, 103])
        #expect(sample.processes.map(\.parentPID) == [nil, 100, 100, 101])
        #expect(sample.processes.map(\.name) == ["python", "worker", "worker", "sh"])
        #expect(sample.treeRSS == ByteCount((1000 + 200 + 300 + 50) * Self.pageSize))
        #expect(sample.hostTotal == ByteCount(16_384_000 * 1024))
        #expect(sample.hostAvailable == ByteCount(8_192_000 * 1024))
        #expect(sample.memoryUsed == ByteCount(8_192_000 * 1024))

        // 104 appears under 101 and 102 leaves 100's list: the next sample follows.
        // (Exits are tested with real processes: a fixture file stays readable once open.)
        try tree.write("/proc/100/task/100/children", "101")
        try tree.write("/proc/101/task/101/children", "103 104")
        try tree.write("/proc/104/statm", "10 5 1 1 0 1 0\n")
        try tree.write("/proc/104/comm", "ffmpeg\n")
        try tree.write("/proc/104/task/104/children", "")
        let later = sampler.sample()
        #expect(later.processes.map(\.pid) == [100, 101, 103, 104])
        #expect(later.processes.last?.parentPID == 101)
    }

    @Test("GPU memory from NVML is matched to the tree's processes")
    func gpuMatching() throws {
        let tree = try Self.fixture()
        let nvml = try FakeNVML.library(scenario: """
            device name=Test_GPU total=24GiB used=6GiB util=50,10
            proc pid=101 used=4GiB
            proc pid=999 used=2GiB
            """)
        let sample = Sampler(pid: 100, root: tree.root, gpuBackend: NVMLBackend(libraryPath: nvml),
                             options: .init(readsContainer: false)).sample()
        #expect(sample.gpus.count == 1)
        #expect(sample.gpus.first?.total == .gibibytes(24))
        #expect(sample.gpus.first?.used == .gibibytes(6))
        #expect(sample.gpus.first?.treeUsed == .gibibytes(4))
        #expect(sample.gpus.first?.utilizationPercent == 50)
        #expect(sample.processes.first { $0.pid == 101 }?.gpuMemory == .gibibytes(4))
        #expect(sample.processes.first { $0.pid == 100 }?.gpuMemory == nil)
    }

    @Test("a real process tree: every descendant, RSS as /proc gives it (within a few pages, read a moment later); exits leave it")
    func realTree() async throws {
        // The sleeps outlive any wait below; the process group ends them however the test ends.
        let pid = try TestProcess.spawn(["/bin/sh", "-c", "sleep 600 & sleep 600 & wait"])
        var ended = false
        defer { if !ended { TestProcess.end(pid) } }
        // Wait until both children have become `sleep` (a sample between fork and exec sees `sh`):
        // up to 60 s, for a machine busy compiling; the loop ends as soon as they have.
        for _ in 0..<3000 {
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            let names = children.split(separator: " ").compactMap {
                try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8)
            }
            if names == ["sleep\n", "sleep\n"] { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let sampler = Sampler(pid: pid, options: .init(readsPSS: true, readsGPUs: false))
        let sample = sampler.sample()
        #expect(sample.processes.count == 3)
        #expect(sample.processes.map(\.name).sorted() == ["sh", "sleep", "sleep"])
        #expect(sample.treePSS != nil)
        for found in sample.processes {
            let statm = try String(contentsOfFile: "/proc/\(found.pid)/statm", encoding: .utf8)
            let pages = try #require(Int64(statm.split(separator: " ")[1]))
            // Read a moment after the sample: a process may touch a few pages in between.
            #expect(abs(found.rss.bytes - pages * Self.pageSize) <= 16 * Self.pageSize, "\(found.name): \(found.rss) vs \(pages) pages")
        }
        // A child that exits leaves the tree (a zombie included); the root's exit empties it.
        let first = try #require(sample.processes.dropFirst().first).pid
        kill(first, SIGKILL)
        var after = sampler.sample()
        for _ in 0..<1500 where after.processes.contains(where: { $0.pid == first }) {
            try await Task.sleep(for: .milliseconds(20))
            after = sampler.sample()
        }
        #expect(after.processes.count == 2)
        TestProcess.end(pid)
        ended = true
        #expect(sampler.sample().processes.isEmpty)
    }
}
