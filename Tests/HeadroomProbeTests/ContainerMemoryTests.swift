#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomProbe
import Testing

/// mountinfo lines for the fixtures, in the kernel's format.
enum MountInfo {
    static let proc = "22 28 0:20 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw\n"
    static let sys = "23 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw\n"
    static let unified = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"

    /// The hybrid layout of this machine: a tmpfs with v1 controllers and a cgroup2 `unified` mount.
    static let hybrid = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw

        """
}

@Suite("ContainerMemory, cgroup v2")
struct ContainerMemoryV2Tests {
    static let leaf = "/sys/fs/cgroup/kubepods/pod1/ctr"

    static func files(_ extra: [String: String] = [:]) -> [String: String] {
        var files = [
            "/proc/self/cgroup": "0::/kubepods/pod1/ctr\n",
            "/proc/self/mountinfo": MountInfo.proc + MountInfo.sys + MountInfo.unified,
            "\(leaf)/memory.max": "536870912\n",
            "\(leaf)/memory.high": "max\n",
            "\(leaf)/memory.current": "314572800\n",
            "\(leaf)/memory.stat": "anon 200000000\nfile 100000000\nactive_file 1000\ninactive_file 52428800\nslab 77\n",
            "\(leaf)/memory.peak": "400000000\n",
            "\(leaf)/memory.events": "low 0\nhigh 5\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n",
            "\(leaf)/memory.pressure": "some avg10=1.50 avg60=0.75 avg300=0.10 total=123456\nfull avg10=0.50 avg60=0.25 avg300=0.05 total=6789\n",
            "/sys/fs/cgroup/kubepods/pod1/memory.max": "max\n",
            "/sys/fs/cgroup/kubepods/memory.max": "max\n",
        ]
        files.merge(extra) { $1 }
        return files
    }

    @Test("a limited cgroup: limit, working set, peak, OOM counts, pressure")
    func limited() throws {
        let memory = try withFakeSystem(Self.files()) { try #require(ContainerMemory.read(root: $0.root)) }
        #expect(memory.version == .v2)
        #expect(memory.cgroupPath == "/kubepods/pod1/ctr")
        #expect(memory.limit == ByteCount(536_870_912))
        #expect(memory.limitSource == Self.leaf)
        #expect(memory.high == nil)
        #expect(memory.charged == ByteCount(314_572_800))
        #expect(memory.inactiveFile == ByteCount(52_428_800))
        #expect(memory.usage == ByteCount(314_572_800 - 52_428_800))
        #expect(memory.available == ByteCount(536_870_912 - (314_572_800 - 52_428_800)))
        #expect(memory.peak == ByteCount(400_000_000))
        #expect(memory.oomKills == 2)
        #expect(memory.limitHits == 3)
        let pressure = try #require(memory.pressure)
        #expect(pressure.some.avg10Percent == 1.5)
        #expect(pressure.some.totalMicroseconds == 123_456)
        #expect(pressure.full?.avg60Percent == 0.25)
        #expect(pressure.full?.totalMicroseconds == 6789)
    }

    @Test("`max` everywhere: no limit, but use and peak are still read")
    func unlimited() throws {
        let memory = try withFakeSystem(Self.files(["\(Self.leaf)/memory.max": "max\n"])) {
            try #require(ContainerMemory.read(root: $0.root))
        }
        #expect(memory.limit == nil)
        #expect(memory.limitSource == nil)
        #expect(memory.available == nil)
        #expect(memory.usage == ByteCount(262_144_000))
        #expect(memory.peak == ByteCount(400_000_000))
    }

    @Test("an ancestor's lower limit wins and is named as the source")
    func nestedParentLower() throws {
        let files = Self.files([
            "\(Self.leaf)/memory.max": "4294967296\n",
            "/sys/fs/cgroup/kubepods/pod1/memory.max": "1073741824\n",
            "/sys/fs/cgroup/kubepods/memory.max": "2147483648\n",
            "/sys/fs/cgroup/kubepods/pod1/memory.high": "805306368\n",
        ])
        let memory = try withFakeSystem(files) { try #require(ContainerMemory.read(root: $0.root)) }
        #expect(memory.limit == ByteCount(1_073_741_824))
        #expect(memory.limitSource == "/sys/fs/cgroup/kubepods/pod1")
        #expect(memory.high == ByteCount(805_306_368))
    }

    @Test("a limit at the hierarchy's top counts too")
    func limitAtMountPoint() throws {
        let files = Self.files(["\(Self.leaf)/memory.max": "max\n", "/sys/fs/cgroup/memory.max": "999424\n"])
        let memory = try withFakeSystem(files) { try #require(ContainerMemory.read(root: $0.root)) }
        #expect(memory.limit == ByteCount(999_424))
        #expect(memory.limitSource == "/sys/fs/cgroup")
    }

    @Test("unreadable or garbage limit files mean no limit, and an ancestor's still applies")
    func unreadableLimit() throws {
        try withFakeSystem(Self.files(["/sys/fs/cgroup/kubepods/pod1/memory.max": "garbage\n"])) { tree in
            // Put a directory where the leaf's memory.max should be.
            let leafMax = tree.root.resolve("\(Self.leaf)/memory.max")
            #expect(unlink(leafMax) == 0)
            try tree.makeDirectory("\(Self.leaf)/memory.max")
            var memory = try #require(ContainerMemory.read(root: tree.root))
            #expect(memory.limit == nil)
            #expect(memory.usage == ByteCount(262_144_000))

            try tree.write("/sys/fs/cgroup/kubepods/memory.max", "268435456\n")
            memory = try #require(ContainerMemory.read(root: tree.root))
            #expect(memory.limit == ByteCount(268_435_456))
            #expect(memory.limitSource == "/sys/fs/cgroup/kubepods")
        }
    }

    @Test("garbage in the usage files leaves those fields empty")
    func garbageUsage() throws {
        let files = Self.files([
            "\(Self.leaf)/memory.current": "lots\n",
            "\(Self.leaf)/memory.peak": "",
            "\(Self.leaf)/memory.events": "oom_kill\n",
            "\(Self.leaf)/memory.pressure": "nonsense\n",
        ])
        let memory = try withFakeSystem(files) { try #require(ContainerMemory.read(root: $0.root)) }
        #expect(memory.limit == ByteCount(536_870_912))
        #expect(memory.charged == nil)
        #expect(memory.usage == nil)
        #expect(memory.available == nil)
        #expect(memory.peak == nil)
        #expect(memory.oomKills == nil)
        #expect(memory.pressure == nil)
    }

    @Test("inactive file cache larger than the charge clamps usage at zero")
    func usageClamped() throws {
        let files = Self.files(["\(Self.leaf)/memory.stat": "inactive_file 999999999\n"])
        let memory = try withFakeSystem(files) { try #require(ContainerMemory.read(root: $0.root)) }
        #expect(memory.usage == .zero)
    }
}

@Suite("ContainerMemory, cgroup v1 and hybrid")
struct ContainerMemoryV1Tests {
    static let leaf = "/sys/fs/cgroup/memory/process_api/abc"

    static func files(_ extra: [String: String] = [:]) -> [String: String] {
        var files = [
            "/proc/self/cgroup": "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/abc\n1:cpu:/\n0::/\n",
            "/proc/self/mountinfo": MountInfo.proc + MountInfo.sys + MountInfo.hybrid,
            "\(leaf)/memory.limit_in_bytes": "2147483648\n",
            "\(leaf)/memory.soft_limit_in_bytes": "9223372036854771712\n",
            "\(leaf)/memory.usage_in_bytes": "1073741824\n",
            "\(leaf)/memory.max_usage_in_bytes": "1500000000\n",
            "\(leaf)/memory.stat": """
                cache 500
                rss 600
                inactive_file 1000
                hierarchical_memory_limit 9223372036854771712
                total_inactive_file 104857600

                """,
            "\(leaf)/memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 4\n",
            "\(leaf)/memory.failcnt": "17\n",
            "/sys/fs/cgroup/memory/process_api/memory.limit_in_bytes": "9223372036854771712\n",
            "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
            // A decoy in the unified hierarchy: v1's memory controller must win.
            "/sys/fs/cgroup/unified/memory.max": "1000\n",
            "/sys/fs/cgroup/unified/memory.current": "10\n",
        ]
        files.merge(extra) { $1 }
        return files
    }

    @Test("hybrid: the v1 memory controller is used, not the cgroup2 mount")
    func hybridUsesV1() throws {
        let memory = try withFakeSystem(Self.files()) { try #require(ContainerMemory.read(root: $0.root)) }
        #expect(memory.version == .v1)
        #expect(memory.cgroupPath == "/process_api/abc")
        #expect(memory.limit == ByteCount(2_147_483_648))
        #expect(memory.limitSource == Self.leaf)
        #expect(memory.high == nil)
        #expect(memory.charged == ByteCount(1_073_741_824))
        // total_inactive_file (the hierarchy's) wins over inactive_file.
        #expect(memory.inactiveFile == ByteCount(104_857_600))
        #expect(memory.usage == ByteCount(1_073_741_824 - 104_857_600))
        #expect(memory.peak == ByteCount(1_500_000_000))
        #expect(memory.oomKills == 4)
        #expect(memory.limitHits == 17)
        #expect(memory.pressure == nil)
    }

    @Test("v1 without total_inactive_file falls back to inactive_file")
    func inactiveFallback() throws {
        let files = Self.files(["\(Self.leaf)/memory.stat": "inactive_file 1000\n"])
        let memory = try withFakeSystem(files) { try #require(ContainerMemory.read(root: $0.root)) }
        #expect(memory.usage == ByteCount(1_073_741_824 - 1000))
    }

    @Test("v1 'unlimited' sentinels (4 KiB and 64 KiB pages) mean no limit", arguments: [
        "9223372036854771712", "9223372036854710272", "18446744073709551615", "-1",
    ])
    func sentinels(sentinel: String) throws {
        let files = Self.files([
            "\(Self.leaf)/memory.limit_in_bytes": sentinel + "\n",
            "\(Self.leaf)/memory.soft_limit_in_bytes": sentinel + "\n",
            "\(Self.leaf)/memory.stat": "hierarchical_memory_limit 9223372036854710272\ntotal_inactive_file 0\n",
        ])
        let memory = try withFakeSystem(files) { try #require(ContainerMemory.read(root: $0.root)) }
        #expect(memory.limit == nil)
        #expect(memory.limitSource == nil)
        #expect(memory.high == nil)
        #expect(memory.usage == ByteCount(1_073_741_824))
    }

    @Test("the threshold sits between real limits and the sentinels")
    func threshold() {
        #expect(ContainerMemory.unlimitedThreshold.bytes == 1 << 60)
        #expect(9_223_372_036_854_710_272 >= ContainerMemory.unlimitedThreshold.bytes)
        #expect(ByteCount.tebibytes(1024).bytes < ContainerMemory.unlimitedThreshold.bytes)
    }

    @Test("hierarchical_memory_limit below the leaf's limit wins")
    func hierarchicalLower() throws {
        let files = Self.files([
            "\(Self.leaf)/memory.stat": "hierarchical_memory_limit 1073741824\ntotal_inactive_file 0\n",
        ])
        let memory = try withFakeSystem(files) { try #require(ContainerMemory.read(root: $0.root)) }
        #expect(memory.limit == ByteCount(1_073_741_824))
        #expect(memory.limitSource == Self.leaf)
    }

    @Test("a v1 ancestor's lower limit wins")
    func nestedV1() throws {
        let files = Self.files(["/sys/fs/cgroup/memory/process_api/memory.limit_in_bytes": "536870912\n"])
        let memory = try withFakeSystem(files) { try #require(ContainerMemory.read(root: $0.root)) }
        #expect(memory.limit == ByteCount(536_870_912))
        #expect(memory.limitSource == "/sys/fs/cgroup/memory/process_api")
    }

    @Test("a soft limit is reported as high")
    func softLimit() throws {
        let files = Self.files(["\(Self.leaf)/memory.soft_limit_in_bytes": "1048576000\n"])
        let memory = try withFakeSystem(files) { try #require(ContainerMemory.read(root: $0.root)) }
        #expect(memory.high == ByteCount(1_048_576_000))
    }
}

@Suite("CgroupHierarchy")
struct CgroupHierarchyTests {
    @Test("v2: the directory under the mount, and the ancestry up to it")
    func v2Path() throws {
        let hierarchy = try withFakeSystem(ContainerMemoryV2Tests.files()) {
            try #require(CgroupHierarchy.find(controller: "memory", root: $0.root))
        }
        #expect(hierarchy.version == .v2)
        #expect(hierarchy.mountPoint == "/sys/fs/cgroup")
        #expect(hierarchy.directory == "/sys/fs/cgroup/kubepods/pod1/ctr")
        #expect(hierarchy.ancestry == [
            "/sys/fs/cgroup/kubepods/pod1/ctr", "/sys/fs/cgroup/kubepods/pod1",
            "/sys/fs/cgroup/kubepods", "/sys/fs/cgroup",
        ])
    }

    @Test("hybrid: memory is v1, and a controller only in the unified tree is v2")
    func hybrid() throws {
        try withFakeSystem(ContainerMemoryV1Tests.files()) { tree in
            let memory = try #require(CgroupHierarchy.find(controller: "memory", root: tree.root))
            #expect(memory.version == .v1)
            #expect(memory.mountPoint == "/sys/fs/cgroup/memory")
            #expect(memory.directory == "/sys/fs/cgroup/memory/process_api/abc")
            let io = try #require(CgroupHierarchy.find(controller: "io", root: tree.root))
            #expect(io.version == .v2)
            #expect(io.mountPoint == "/sys/fs/cgroup/unified")
            #expect(io.directory == "/sys/fs/cgroup/unified")
        }
    }

    @Test("a cgroup namespace: mount root equals the cgroup path, so the mount point is the cgroup")
    func namespaceRoot() throws {
        let files = [
            "/proc/self/cgroup": "0::/docker/abc\n",
            "/proc/self/mountinfo": "30 23 0:26 /docker/abc /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n",
            "/sys/fs/cgroup/memory.max": "268435456\n",
            // A decoy: appending the cgroup path to the mount point would find this.
            "/sys/fs/cgroup/docker/abc/memory.max": "1\n",
        ]
        try withFakeSystem(files) { tree in
            let hierarchy = try #require(CgroupHierarchy.find(controller: "memory", root: tree.root))
            #expect(hierarchy.cgroupPath == "/docker/abc")
            #expect(hierarchy.directory == "/sys/fs/cgroup")
            #expect(hierarchy.ancestry == ["/sys/fs/cgroup"])
            let memory = try #require(ContainerMemory.read(root: tree.root))
            #expect(memory.limit == ByteCount(268_435_456))
            #expect(memory.limitSource == "/sys/fs/cgroup")
        }
    }

    @Test("a cgroup below the mount's root is found relative to it")
    func belowMountRoot() throws {
        let files = [
            "/proc/self/cgroup": "4:memory:/docker/abc/worker\n",
            "/proc/self/mountinfo": "35 31 0:32 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
            "/sys/fs/cgroup/memory/worker/memory.limit_in_bytes": "1048576\n",
        ]
        let hierarchy = try withFakeSystem(files) { try #require(CgroupHierarchy.find(controller: "memory", root: $0.root)) }
        #expect(hierarchy.directory == "/sys/fs/cgroup/memory/worker")
        #expect(hierarchy.ancestry == ["/sys/fs/cgroup/memory/worker", "/sys/fs/cgroup/memory"])
    }

    @Test("a cgroup path outside the mount means the mount point", arguments: [
        ("/docker/abc", "0::/other/xyz"),
        ("/docker/abc", "0::/docker/abcdef"),  // a prefix by characters, not by path components
        ("/", "0::/../sibling"),               // a namespace's view of a cgroup outside it
        ("/", "0::/../../other/x"),
    ])
    func outsideMount(mountRoot: String, membership: String) throws {
        let files = [
            "/proc/self/cgroup": membership + "\n",
            "/proc/self/mountinfo": "30 23 0:26 \(mountRoot) /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n",
            "/sys/fs/cgroup/unified/memory.max": "4096\n",
            // Decoys a careless join would land on.
            "/sys/fs/cgroup/unified/other/xyz/memory.max": "1\n",
            "/sys/fs/cgroup/unified/docker/abcdef/memory.max": "1\n",
            "/sys/fs/cgroup/sibling/memory.max": "1\n",
            "/sys/fs/other/x/memory.max": "1\n",
        ]
        try withFakeSystem(files) { tree in
            let hierarchy = try #require(CgroupHierarchy.find(controller: "memory", root: tree.root))
            #expect(hierarchy.directory == "/sys/fs/cgroup/unified")
            #expect(hierarchy.ancestry == ["/sys/fs/cgroup/unified"])
            #expect(ContainerMemory.read(root: tree.root)?.limit == ByteCount(4096))
        }
    }

    @Test("a cgroup directory that does not exist means the mount point")
    func missingDirectory() throws {
        let files = [
            "/proc/self/cgroup": "0::/gone\n",
            "/proc/self/mountinfo": MountInfo.unified,
            "/sys/fs/cgroup/memory.current": "5\n",
        ]
        let hierarchy = try withFakeSystem(files) { try #require(CgroupHierarchy.find(controller: "memory", root: $0.root)) }
        #expect(hierarchy.cgroupPath == "/gone")
        #expect(hierarchy.directory == "/sys/fs/cgroup")
    }

    @Test("octal escapes in mountinfo are decoded")
    func octalEscapes() throws {
        let files = [
            "/proc/self/cgroup": "4:memory:/my group/job\n",
            "/proc/self/mountinfo":
                "35 31 0:32 /my\\040group /sys/fs/cgroup/mem\\011ory\\134x rw - cgroup cgroup rw,memory\n",
            "/sys/fs/cgroup/mem\tory\\x/job/memory.limit_in_bytes": "65536\n",
        ]
        try withFakeSystem(files) { tree in
            let hierarchy = try #require(CgroupHierarchy.find(controller: "memory", root: tree.root))
            #expect(hierarchy.mountPoint == "/sys/fs/cgroup/mem\tory\\x")
            #expect(hierarchy.directory == "/sys/fs/cgroup/mem\tory\\x/job")
            let memory = try #require(ContainerMemory.read(root: tree.root))
            #expect(memory.limit == ByteCount(65_536))
        }
    }

    @Test("no cgroup filesystem, or no membership: nil", arguments: [
        ["/proc/self/cgroup": "0::/\n", "/proc/self/mountinfo": MountInfo.proc + MountInfo.sys],
        ["/proc/self/mountinfo": MountInfo.unified],
        ["/proc/self/cgroup": "0::/\n"],
        ["/proc/self/cgroup": "4:memory:/x\n", "/proc/self/mountinfo": MountInfo.proc],
        ["/proc/self/cgroup": "garbage", "/proc/self/mountinfo": "garbage\n- - -\n"],
        [:],
    ])
    func notMounted(files: [String: String]) throws {
        try withFakeSystem(files) { tree in
            #expect(CgroupHierarchy.find(controller: "memory", root: tree.root) == nil)
            #expect(ContainerMemory.read(root: tree.root) == nil)
        }
    }

    @Test("another process's cgroup is read from /proc/<pid>")
    func otherPID() throws {
        var files = ContainerMemoryV2Tests.files()
        files["/proc/42/cgroup"] = "0::/kubepods\n"
        files["/proc/42/mountinfo"] = MountInfo.unified
        files["/sys/fs/cgroup/kubepods/memory.max"] = "123456\n"
        let memory = try withFakeSystem(files) { try #require(ContainerMemory.read(pid: "42", root: $0.root)) }
        #expect(memory.cgroupPath == "/kubepods")
        #expect(memory.limit == ByteCount(123_456))
    }
}
