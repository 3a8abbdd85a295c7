#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomProbe
import Testing

@Suite("ProcessMemory and ProcessTreeMemory")
struct ProcessTreeTests {
    /// A `/proc/<pid>/stat` line with `comm` and the parent, the rest as the kernel writes it.
    static func stat(_ pid: Int, _ comm: String, parent: Int, state: String = "S") -> String {
        "\(pid) (\(comm)) \(state) \(parent) \(pid) \(pid) 0 -1 4194560 120 0 0 0 3 1 0 0 20 0 1 0 12345 10000000 250 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
    }

    /// A `/proc/<pid>/status` with the tab-and-padding layout the kernel uses.
    static func status(_ name: String, parent: Int, rss: Int, hwm: Int? = nil, swap: Int = 0) -> String {
        var text = "Name:\t\(name)\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1\nPid:\t1\nPPid:\t\(parent)\n"
        if let hwm { text += "VmHWM:\t\(pad(hwm)) kB\n" }
        text += "VmRSS:\t\(pad(rss)) kB\nRssAnon:\t\(pad(rss / 2)) kB\nVmSwap:\t\(pad(swap)) kB\nThreads:\t1\n"
        text += "Cpus_allowed_list:\t0-1\n"
        return text
    }

    static func pad(_ n: Int) -> String {
        let digits = String(n)
        return String(repeating: " ", count: max(0, 8 - digits.count)) + digits
    }

    static func rollup(pss: Int) -> String {
        """
        55d0c0a00000-7ffd4b1fe000 ---p 00000000 00:00 0                          [rollup]
        Rss:                \(pss * 2) kB
        Pss:                \(pss) kB
        Pss_Dirty:          \(pss / 2) kB
        Pss_Anon:           \(pss / 2) kB

        """
    }

    /// 100 → {101 → {103}, 102, 104 (vanished)}; 200 and 1 are unrelated; 300 ⇄ 301 is a cycle.
    static let files: [String: String] = [
        "/proc/1/stat": stat(1, "init", parent: 0),
        "/proc/1/status": status("init", parent: 0, rss: 9999),
        "/proc/100/stat": stat(100, "python3", parent: 1),
        "/proc/100/status": status("python3", parent: 1, rss: 102_400, hwm: 204_800, swap: 1024),
        "/proc/100/smaps_rollup": rollup(pss: 80_000),
        "/proc/101/stat": stat(101, "a b) c", parent: 100),
        "/proc/101/status": status("a b) c", parent: 100, rss: 20_480, hwm: 30_000),
        "/proc/101/smaps_rollup": rollup(pss: 15_000),
        "/proc/102/stat": stat(102, "worker (2)", parent: 100, state: "R"),
        "/proc/102/status": status("worker (2)", parent: 100, rss: 10_240),
        "/proc/103/stat": stat(103, "grandchild", parent: 101),
        "/proc/103/status": status("grandchild", parent: 101, rss: 5_120, hwm: 6_000),
        "/proc/103/smaps_rollup": rollup(pss: 4_000),
        "/proc/104/stat": stat(104, "gone", parent: 100, state: "Z"),
        "/proc/200/stat": stat(200, "other) S 100 ", parent: 1),
        "/proc/200/status": status("other", parent: 1, rss: 999_999),
        "/proc/300/stat": stat(300, "loop", parent: 301),
        "/proc/300/status": status("loop", parent: 301, rss: 1),
        "/proc/301/stat": stat(301, "loop", parent: 300),
        "/proc/301/status": status("loop", parent: 300, rss: 2),
        "/proc/555/stat": "garbage without parentheses\n",
        "/proc/meminfo": "MemTotal: 1 kB\n",
        "/proc/self/status": status("self", parent: 1, rss: 1),
    ]

    @Test("one process: RSS, peak, swap, PSS, parent and name")
    func single() throws {
        let process = try withFakeSystem(Self.files) { try ProcessMemory.read(pid: 100, root: $0.root) }
        #expect(process.pid == 100)
        #expect(process.parentPID == 1)
        #expect(process.name == "python3")
        #expect(process.rss.bytes == kB(102_400))
        #expect(process.peakRSS.bytes == kB(204_800))
        #expect(process.swap.bytes == kB(1024))
        #expect(process.pss?.bytes == kB(80_000))
    }

    @Test("without VmHWM the peak is the RSS; without smaps_rollup PSS is nil")
    func missingFields() throws {
        let process = try withFakeSystem(Self.files) { try ProcessMemory.read(pid: 102, root: $0.root) }
        #expect(process.name == "worker (2)")
        #expect(process.rss.bytes == kB(10_240))
        #expect(process.peakRSS.bytes == kB(10_240))
        #expect(process.pss == nil)
    }

    @Test("includePSS: false skips smaps_rollup")
    func withoutPSS() throws {
        let process = try withFakeSystem(Self.files) { try ProcessMemory.read(pid: 100, includePSS: false, root: $0.root) }
        #expect(process.pss == nil)
        #expect(process.rss.bytes == kB(102_400))
    }

    @Test("the tree: root first, breadth first, vanished child skipped, totals")
    func tree() throws {
        let tree = try withFakeSystem(Self.files) { try ProcessTreeMemory.read(pid: 100, root: $0.root) }
        #expect(tree.root.pid == 100)
        #expect(tree.processes.map(\.pid) == [100, 101, 102, 103])
        #expect(tree.processes.map(\.parentPID) == [1, 100, 100, 101])
        #expect(tree.processes[1].name == "a b) c")
        #expect(tree.totalRSS.bytes == kB(102_400 + 20_480 + 10_240 + 5_120))
        #expect(tree.totalPSS?.bytes == kB(80_000 + 15_000 + 4_000))
    }

    @Test("a subtree, and a tree without PSS")
    func subtree() throws {
        try withFakeSystem(Self.files) { fixture in
            let tree = try ProcessTreeMemory.read(pid: 101, root: fixture.root)
            #expect(tree.processes.map(\.pid) == [101, 103])
            #expect(tree.totalRSS.bytes == kB(20_480 + 5_120))
            let noPSS = try ProcessTreeMemory.read(pid: 100, includePSS: false, root: fixture.root)
            #expect(noPSS.totalPSS == nil)
            #expect(noPSS.totalRSS.bytes == kB(138_240))
            let leaf = try ProcessTreeMemory.read(pid: 102, root: fixture.root)
            #expect(leaf.processes.map(\.pid) == [102])
            #expect(leaf.totalPSS == nil)
        }
    }

    @Test("where the kernel lists task children, those lists are followed, every thread's included")
    func taskChildren() throws {
        // No stat files at all: the tree can only come from the children lists.
        let files: [String: String] = [
            "/proc/100/status": Self.status("python3", parent: 1, rss: 1000),
            "/proc/100/task/100/children": "101 ",
            "/proc/100/task/110/children": "104 102 ",  // a thread's children count as the process's
            "/proc/101/status": Self.status("a", parent: 100, rss: 200),
            "/proc/101/task/101/children": "103\n",
            "/proc/102/status": Self.status("b", parent: 100, rss: 30),
            "/proc/102/task/102/children": "",
            "/proc/103/status": Self.status("c", parent: 101, rss: 4),
            "/proc/200/status": Self.status("other", parent: 1, rss: 50_000),
            "/proc/1/task/1/children": "100 200 ",
        ]
        let tree = try withFakeSystem(files) { try ProcessTreeMemory.read(pid: 100, includePSS: false, root: $0.root) }
        // 104 is listed but has no status (it exited): left out.
        #expect(tree.processes.map(\.pid) == [100, 101, 102, 103])
        #expect(tree.totalRSS.bytes == kB(1000 + 200 + 30 + 4))
    }

    @Test("a parent cycle in the table ends")
    func cycle() throws {
        let tree = try withFakeSystem(Self.files) { try ProcessTreeMemory.read(pid: 300, root: $0.root) }
        #expect(tree.processes.map(\.pid) == [300, 301])
        #expect(tree.totalRSS.bytes == kB(3))
    }

    @Test("a missing root process is .missing, naming its status file")
    func missingRoot() throws {
        try withFakeSystem(Self.files) { fixture in
            let path = fixture.root.resolve("/proc/104/status")
            for pid: Int32 in [104, 999] {
                #expect {
                    try ProcessTreeMemory.read(pid: pid, root: fixture.root)
                } throws: { error in
                    guard let error = error as? ProbeError else { return false }
                    return error.code == .missing && (pid != 104 || error.path == path)
                }
            }
        }
    }

    @Test("a status without a Name line is .malformed")
    func malformedStatus() throws {
        try withFakeSystem(["/proc/7/status": "VmRSS:\t  100 kB\n"]) { fixture in
            #expect {
                try ProcessMemory.read(pid: 7, root: fixture.root)
            } throws: { error in
                (error as? ProbeError).map { $0.code == .malformed && $0.path.hasSuffix("/proc/7/status") } ?? false
            }
        }
    }

    @Test("the live process: RSS above zero, peak at least RSS, the kernel's parent")
    func live() throws {
        let me = try ProcessMemory.read(pid: getpid())
        #expect(me.pid == getpid())
        #expect(me.parentPID == getppid())
        #expect(!me.name.isEmpty)
        #expect(me.rss.bytes > 0)
        #expect(me.peakRSS >= me.rss)
        // Status says VmRSS in kB: a multiple of 1024 bytes.
        #expect(me.rss.bytes % 1024 == 0)
        if let pss = me.pss { #expect(pss.bytes > 0) }

        let tree = try ProcessTreeMemory.read(pid: ProcessMemory.currentPID, includePSS: false)
        #expect(tree.root.pid == getpid())
        #expect(tree.totalRSS >= tree.root.rss)
    }
}
