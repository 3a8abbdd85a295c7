#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomProbe
import Testing

private let gib: Int64 = 1 << 30

@Suite("SystemProbe and MemorySnapshot")
struct SnapshotTests {
    /// A 16 GiB host (8 GiB available) with a v2 container limited to `limit`, charged
    /// 1.5 GiB of which 0.5 GiB is inactive file cache (so 1 GiB in use), on 8 CPUs with a 2-CPU quota.
    static func files(limit: String) -> [String: String] {
        [
            "/proc/meminfo": """
                MemTotal:       16777216 kB
                MemFree:         4194304 kB
                MemAvailable:    8388608 kB
                Cached:          2097152 kB
                SReclaimable:     524288 kB
                SwapTotal:             0 kB
                SwapFree:              0 kB

                """,
            "/proc/pressure/memory": "some avg10=3.00 avg60=2.00 avg300=1.00 total=500\n",
            "/proc/self/cgroup": "0::/ctr\n",
            "/proc/self/mountinfo": MountInfo.proc + MountInfo.unified,
            "/proc/self/status": "Name:\tpython3\nCpus_allowed_list:\t0-7\n",
            "/sys/fs/cgroup/ctr/memory.max": limit + "\n",
            "/sys/fs/cgroup/ctr/memory.current": "\(3 * gib / 2)\n",
            "/sys/fs/cgroup/ctr/memory.stat": "anon \(gib)\ninactive_file \(gib / 2)\n",
            "/sys/fs/cgroup/ctr/cpu.max": "200000 100000\n",
            "/sys/devices/system/cpu/online": "0-7\n",
            "/proc/1/stat": ProcessTreeTests.stat(1, "python3", parent: 0),
            "/proc/1/status": ProcessTreeTests.status("python3", parent: 0, rss: 300_000, hwm: 400_000),
            "/proc/1/smaps_rollup": ProcessTreeTests.rollup(pss: 250_000),
            "/proc/2/stat": ProcessTreeTests.stat(2, "worker", parent: 1),
            "/proc/2/status": ProcessTreeTests.status("worker", parent: 1, rss: 100_000),
            "/proc/3/stat": ProcessTreeTests.stat(3, "unrelated", parent: 0),
            "/proc/3/status": ProcessTreeTests.status("unrelated", parent: 0, rss: 1),
        ]
    }

    @Test("a fixture machine: every reader, the GPU backend, and the effective limits")
    func fixture() throws {
        let stub = StubGPUBackend()
        let snapshot = try withFakeSystem(Self.files(limit: "\(2 * gib)")) {
            try SystemProbe(root: $0.root, gpuBackend: stub).snapshot()
        }
        #expect(snapshot.host.total.bytes == 16 * gib)
        #expect(snapshot.host.available.bytes == 8 * gib)
        #expect(snapshot.pressure?.some.avg10Percent == 3)
        #expect(snapshot.cgroup?.version == .v2)
        #expect(snapshot.cgroup?.usage?.bytes == gib)
        #expect(snapshot.container?.limit?.bytes == 2 * gib)
        #expect(snapshot.effectiveLimit.bytes == 2 * gib)
        #expect(snapshot.effectiveAvailable.bytes == gib)  // 2 GiB limit − 1 GiB in use < 8 GiB available
        #expect(snapshot.cpu.logical == 8)
        #expect(snapshot.cpu.allowed == 8)
        #expect(snapshot.cpu.quota == 2)
        #expect(snapshot.cpu.effective == 2)
        // Outside `/` the tree starts at pid 1.
        #expect(snapshot.process?.processes.map(\.pid) == [1, 2])
        #expect(snapshot.process?.totalRSS.bytes == kB(400_000))
        #expect(snapshot.process?.totalPSS?.bytes == kB(250_000))
        #expect(snapshot.gpus == stub.result)
        #expect(snapshot.problems.isEmpty)
    }

    @Test("the container and effective figures for each kind of limit", arguments: [
        // limit, is a container, effective limit, effective available (GiB)
        ("max", false, 16 * gib, 8 * gib),
        ("\(4 * gib)", true, 4 * gib, 3 * gib),
        ("\(64 * gib)", true, 16 * gib, 8 * gib),  // a limit above the host: the host bounds it
        ("\(gib / 2)", true, gib / 2, 0),           // over the limit already: nothing available
        ("garbage", false, 16 * gib, 8 * gib),
    ])
    func limits(limit: String, isContainer: Bool, effectiveLimit: Int64, effectiveAvailable: Int64) throws {
        let snapshot = try withFakeSystem(Self.files(limit: limit)) {
            try SystemProbe(root: $0.root, gpuBackend: StubGPUBackend()).snapshot(includePSS: false)
        }
        #expect(snapshot.cgroup != nil)
        #expect((snapshot.container != nil) == isContainer)
        #expect(snapshot.effectiveLimit.bytes == effectiveLimit)
        #expect(snapshot.effectiveAvailable.bytes == effectiveAvailable)
        #expect(snapshot.process?.totalPSS == nil)
    }

    @Test("a chosen pid, a missing process listed as a problem, a missing meminfo thrown")
    func problems() throws {
        try withFakeSystem(Self.files(limit: "max")) { tree in
            let probe = SystemProbe(root: tree.root, gpuBackend: StubGPUBackend())
            #expect(try probe.snapshot(pid: 2).process?.processes.map(\.pid) == [2])

            let missing = try probe.snapshot(pid: 4242)
            #expect(missing.process == nil)
            #expect(missing.problems.map(\.code) == [.missing])
            #expect(missing.problems.first?.path == tree.root.resolve("/proc/4242/status"))
            #expect(missing.host.total.bytes == 16 * gib)
        }
        try withFakeSystem(["/proc/1/status": "Name:\tinit\n"]) { tree in
            #expect {
                try SystemProbe(root: tree.root, gpuBackend: StubGPUBackend()).snapshot()
            } throws: { error in
                (error as? ProbeError).map { $0.code == .missing && $0.path.hasSuffix("/proc/meminfo") } ?? false
            }
        }
    }

    @Test("no cgroup at all: no container, and the host bounds everything")
    func noCgroup() throws {
        var files = Self.files(limit: "1")
        files["/proc/self/mountinfo"] = MountInfo.proc
        let snapshot = try withFakeSystem(files) {
            try SystemProbe(root: $0.root, gpuBackend: StubGPUBackend()).snapshot(includePSS: false)
        }
        #expect(snapshot.cgroup == nil)
        #expect(snapshot.container == nil)
        #expect(snapshot.effectiveLimit.bytes == 16 * gib)
        #expect(snapshot.cpu.quota == nil)
        #expect(snapshot.cpu.effective == 8)
    }

    @Test("the live machine agrees with /proc/meminfo read directly")
    func live() throws {
        let stub = StubGPUBackend()
        let snapshot = try SystemProbe(gpuBackend: stub).snapshot()
        let meminfo = try SystemRoot.live.read("/proc/meminfo")
        let totalLine = try #require(meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") })
        let words = totalLine.split(whereSeparator: { $0 == " " || $0 == "\t" })
        try #require(words.count == 3 && words[2] == "kB")
        let totalKB = try #require(Int64(words[1]))
        #expect(snapshot.host.total.bytes == totalKB * 1024)
        #expect(snapshot.host.available <= snapshot.host.total)
        #expect(snapshot.host.available > .zero)
        #expect(snapshot.gpus == stub.result)
        #expect(snapshot.process?.root.pid == getpid())
        #expect((snapshot.process?.root.rss.bytes ?? 0) > 0)
        #expect(snapshot.problems.isEmpty)
        #expect(snapshot.effectiveLimit <= snapshot.host.total)
        if let limit = snapshot.container?.limit {
            #expect(snapshot.effectiveLimit == min(limit, snapshot.host.total))
        } else {
            #expect(snapshot.effectiveLimit == snapshot.host.total)
        }
        // Where the memory controller is a v1 hierarchy (as on hybrid hosts), v1 is what is read.
        let cgroupLines = (SystemRoot.live.readIfPresent("/proc/self/cgroup") ?? "").split(separator: "\n")
        let mountLines = (SystemRoot.live.readIfPresent("/proc/self/mountinfo") ?? "").split(separator: "\n")
        let v1Member = cgroupLines.contains { line in
            line.split(separator: ":", omittingEmptySubsequences: false).dropFirst().first?.split(separator: ",").contains("memory") ?? false
        }
        let v1Mounted = mountLines.contains { $0.contains(" - cgroup ") && $0.hasSuffix(",memory") }
        if v1Member && v1Mounted {
            #expect(snapshot.cgroup?.version == .v1)
        }
    }
}
