#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomProbe
import Testing

@Suite("CPUInfo")
struct CPUInfoTests {
    /// Five online CPUs (0–3 and 6) on three cores: {0,1}, {2,3}, {6}.
    static let topology: [String: String] = [
        "/sys/devices/system/cpu/online": "0-3,6\n",
        "/sys/devices/system/cpu/cpu0/topology/core_cpus_list": "0-1\n",
        "/sys/devices/system/cpu/cpu1/topology/core_cpus_list": "0-1\n",
        "/sys/devices/system/cpu/cpu2/topology/core_cpus_list": "2-3\n",
        "/sys/devices/system/cpu/cpu3/topology/core_cpus_list": "2-3\n",
        "/sys/devices/system/cpu/cpu6/topology/core_cpus_list": "6\n",
        // Not CPUs: must not be counted as cores.
        "/sys/devices/system/cpu/cpufreq/topology/core_cpus_list": "99\n",
        "/sys/devices/system/cpu/cpuidle/topology/core_cpus_list": "98\n",
        "/sys/devices/system/cpu/possible": "0-7\n",
    ]

    /// Two sockets × two cores × two threads, as `/proc/cpuinfo` lists them.
    static let cpuinfo: String = {
        var text = ""
        var processor = 0
        for socket in 0..<2 {
            for core in 0..<2 {
                for _ in 0..<2 {
                    text += """
                        processor\t: \(processor)
                        vendor_id\t: GenuineIntel
                        physical id\t: \(socket)
                        siblings\t: 4
                        core id\t\t: \(core)
                        cpu cores\t: 2


                        """
                    processor += 1
                }
            }
        }
        return text
    }()

    static func with(_ base: [String: String], _ extra: [String: String]) -> [String: String] {
        base.merging(extra) { $1 }
    }

    @Test("online list, topology cores and the affinity mask")
    func topologyCounts() throws {
        let files = Self.with(Self.topology, ["/proc/self/status": "Name:\tx\nCpus_allowed:\tf\nCpus_allowed_list:\t0-2\n"])
        let info = try withFakeSystem(files) { CPUInfo.read(root: $0.root) }
        #expect(info.logical == 5)
        #expect(info.physical == 3)
        #expect(info.allowed == 3)
        #expect(info.quota == nil)
        #expect(info.effective == 3)
    }

    @Test("thread_siblings_list stands in where core_cpus_list is missing")
    func threadSiblings() throws {
        let files = [
            "/sys/devices/system/cpu/online": "0-3\n",
            "/sys/devices/system/cpu/cpu0/topology/thread_siblings_list": "0,2\n",
            "/sys/devices/system/cpu/cpu1/topology/thread_siblings_list": "1,3\n",
            "/sys/devices/system/cpu/cpu2/topology/thread_siblings_list": "0,2\n",
            "/sys/devices/system/cpu/cpu3/topology/thread_siblings_list": "1,3\n",
        ]
        let info = try withFakeSystem(files) { CPUInfo.read(root: $0.root) }
        #expect(info.logical == 4)
        #expect(info.physical == 2)
        #expect(info.allowed == nil)
    }

    @Test("/proc/cpuinfo: processors and distinct (physical id, core id) pairs")
    func cpuinfoFallback() throws {
        let info = try withFakeSystem(["/proc/cpuinfo": Self.cpuinfo]) { CPUInfo.read(root: $0.root) }
        #expect(info.logical == 8)
        #expect(info.physical == 4)
    }

    @Test("nothing readable: one logical CPU, physical unknown")
    func nothing() throws {
        let info = try withFakeSystem { CPUInfo.read(root: $0.root) }
        #expect(info.logical == 1)
        #expect(info.physical == nil)
        #expect(info.allowed == nil)
        #expect(info.quota == nil)
        #expect(info.effective == 1)
    }

    static func v2(_ cpuMax: String, parent: String? = nil) -> [String: String] {
        var files = Self.with(Self.topology, [
            "/proc/self/cgroup": "0::/app/job\n",
            "/proc/self/mountinfo": MountInfo.unified,
            "/sys/fs/cgroup/app/job/cpu.max": cpuMax + "\n",
        ])
        if let parent { files["/sys/fs/cgroup/app/cpu.max"] = parent + "\n" }
        return files
    }

    @Test("cgroup v2 cpu.max", arguments: [
        ("150000 100000", nil, 1.5, 2),
        ("max 100000", nil, nil, 5),
        ("300000 100000", nil, 3.0, 3),
        ("800000 100000", nil, 8.0, 5),        // more quota than CPUs: the CPUs bound it
        ("max 100000", "50000 100000", 0.5, 1), // the parent's quota applies, and effective is at least 1
        ("250000 100000", "400000 100000", 2.5, 3),
        ("garbage", nil, nil, 5),
    ] as [(String, String?, Double?, Int)])
    func quotaV2(cpuMax: String, parent: String?, quota: Double?, effective: Int) throws {
        let info = try withFakeSystem(Self.v2(cpuMax, parent: parent)) { CPUInfo.read(root: $0.root) }
        #expect(info.quota == quota)
        #expect(info.effective == effective)
    }

    @Test("cgroup v1 cpu.cfs_quota_us ÷ cpu.cfs_period_us", arguments: [
        ("-1", "100000", nil, 5),
        ("200000", "100000", 2.0, 2),
        ("50000", "100000", 0.5, 1),
        ("200000", "0", nil, 5),
    ] as [(String, String, Double?, Int)])
    func quotaV1(quota: String, period: String, expected: Double?, effective: Int) throws {
        let files = Self.with(Self.topology, [
            "/proc/self/cgroup": "3:cpu,cpuacct:/docker/x\n0::/\n",
            "/proc/self/mountinfo": "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
                + "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n",
            "/sys/fs/cgroup/cpu,cpuacct/docker/x/cpu.cfs_quota_us": quota + "\n",
            "/sys/fs/cgroup/cpu,cpuacct/docker/x/cpu.cfs_period_us": period + "\n",
            "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
            "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us": "100000\n",
            // A decoy in the unified tree.
            "/sys/fs/cgroup/unified/cpu.max": "10000 100000\n",
        ])
        let info = try withFakeSystem(files) { CPUInfo.read(root: $0.root) }
        #expect(info.quota == expected)
        #expect(info.effective == effective)
    }

    @Test("effective = min(logical, allowed, ⌈quota⌉), at least 1", arguments: [
        (8, nil, nil, 8),
        (8, 4, nil, 4),
        (8, 0, nil, 8),     // an empty mask is ignored
        (8, 6, 2.5, 3),
        (8, 2, 2.5, 2),
        (8, nil, 0.1, 1),
        (8, nil, 0.0, 8),   // zero quota is ignored
        (2, 16, 12.0, 2),
        (1, nil, 100.0, 1),
        (4, nil, 3.0001, 4),
        (4, nil, 1e300, 4),  // an absurd quota neither traps nor bounds
    ] as [(Int, Int?, Double?, Int)])
    func effective(logical: Int, allowed: Int?, quota: Double?, expected: Int) {
        let info = CPUInfo(logical: logical, physical: nil, allowed: allowed, quota: quota)
        #expect(info.effective == expected)
    }

    @Test("the live machine: counts agree with each other")
    func live() {
        let info = CPUInfo.read()
        #expect(info.logical >= 1)
        #expect(info.effective >= 1 && info.effective <= info.logical)
        if let physical = info.physical { #expect(physical >= 1 && physical <= info.logical) }
        // The test process may run on at least one CPU, and no more than are online.
        if let allowed = info.allowed { #expect(allowed >= 1 && allowed <= info.logical) }
        let online = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #expect(info.logical == online)
    }
}
