import HeadroomProbe
import HeadroomSystemTestKit
import Testing

/// NVML's host PIDs against fixture `/proc` trees seen from inside a PID namespace.
@Suite("GPUAttributor: NVML's host PIDs matched to the tree")
struct GPUAttributionTests {
    static let meminfo = "MemTotal:       16384000 kB\nMemFree:         1000000 kB\nMemAvailable:    8192000 kB\n"
    static let pod = "0b7a1c2d-1111-2222-3333-444455556666"
    static let container = "3f1e0c9a8b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f"

    /// PID 1 (python) → 7 (worker) → 9 (sh). `hostNamespace` adds kthreadd as PID 2;
    /// otherwise the sched files mark a container's own namespace (no kernel threads).
    static func tree(hostNamespace: Bool) throws -> FakeSystemTree {
        let cgroup = "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod\(pod.replacing("-", with: "_")).slice/cri-containerd-\(container).scope\n"
        var files: [String: String] = [
            "/proc/meminfo": meminfo,
            "/proc/1/sched": "python (1, #threads: 3)\n",
            "/proc/1/stat": ProcessTreeTests.stat(1, "python", parent: 0),
            "/proc/1/status": ProcessTreeTests.status("python", parent: 0, rss: 1000),
            "/proc/1/cgroup": cgroup,
            "/proc/7/stat": ProcessTreeTests.stat(7, "worker", parent: 1),
            "/proc/7/status": ProcessTreeTests.status("worker", parent: 1, rss: 2000),
            "/proc/7/cgroup": cgroup,
            "/proc/9/stat": ProcessTreeTests.stat(9, "sh", parent: 7),
            "/proc/9/status": ProcessTreeTests.status("sh", parent: 7, rss: 10),
        ]
        if hostNamespace {
            files["/proc/2/status"] = "Name:\tkthreadd\nPPid:\t0\n"
            files["/proc/2/stat"] = ProcessTreeTests.stat(2, "kthreadd", parent: 0)
        }
        let tree = try FakeSystemTree(files: files)
        try tree.link("/proc/1/fd/0", to: "/dev/null")
        try tree.link("/proc/1/fd/3", to: "/dev/nvidiactl")
        try tree.link("/proc/1/fd/4", to: "socket:[123456]")
        try tree.link("/proc/7/fd/0", to: "/dev/null")
        try tree.link("/proc/7/fd/5", to: "/dev/nvidia0")
        try tree.link("/proc/7/fd/6", to: "/dev/nvidia-uvm")
        try tree.link("/proc/9/fd/1", to: "pipe:[99]")
        return tree
    }

    static func snapshot(_ tree: FakeSystemTree, scenario: String) throws -> MemorySnapshot {
        let nvml = try FakeNVML.library(scenario: scenario)
        let snapshot = try SystemProbe(root: tree.root, gpuBackend: NVMLBackend(libraryPath: nvml)).snapshot(pid: 1, includePSS: false)
        #expect(FakeNVML.scenarioProblem(in: nvml) == nil)
        return snapshot
    }

    @Test("namespaces agree: matched by PID, as before; nothing to note")
    func agreeingNamespaces() throws {
        let tree = try Self.tree(hostNamespace: true)
        let snapshot = try Self.snapshot(tree, scenario: """
            device total=24GiB used=5GiB
            proc pid=7 used=4GiB
            proc pid=4000 used=1GiB
            """)
        #expect(snapshot.pidNamespace?.isHost == true)
        let gpu = try #require(snapshot.gpus.devices.first)
        #expect(gpu.minorNumber == 0)
        #expect(gpu.processes?.map(\.matchedPID) == [7, nil])
        // With the host's PIDs, every GPU process's own cgroup is readable (a hostPID exporter's view).
        #expect(gpu.processes?.map(\.podUID) == [Self.pod, nil])
        #expect(gpu.attribution == nil && gpu.unattributed == nil)
        #expect(snapshot.process?.processes.first { $0.pid == 7 }?.gpuMemory == .gibibytes(4))
        #expect(snapshot.process?.processes.first { $0.pid == 1 }?.gpuMemory == nil)
    }

    @Test("a container: the one GPU process matched through the /dev/nvidia0 it holds")
    func containerMatchedThroughDeviceFile() throws {
        let tree = try Self.tree(hostNamespace: false)
        let snapshot = try Self.snapshot(tree, scenario: """
            device total=24GiB used=3GiB
            proc pid=48213 used=3GiB
            device total=24GiB used=1GiB
            proc pid=51000 used=1GiB
            """)
        #expect(snapshot.pidNamespace?.isHost == false)
        let processes = try #require(snapshot.process?.processes)
        #expect(processes.first { $0.pid == 7 }?.gpuMemory == .gibibytes(3))
        #expect(processes.first { $0.pid == 1 }?.gpuMemory == nil)
        let gpu0 = snapshot.gpus.devices[0]
        #expect(gpu0.processes?.first?.matchedPID == 7)
        #expect(gpu0.processes?.first?.workload == WorkloadIdentity(podUID: Self.pod, containerID: Self.container))
        #expect(snapshot.gpus.devices[1].processes?.first?.workload == nil)
        #expect(gpu0.unattributed == nil)
        #expect(gpu0.attribution?.contains("host PID 48213 matched to PID 7") == true)
        // GPU1's process is nobody's in the tree: said so, with its size.
        let gpu1 = snapshot.gpus.devices[1]
        #expect(gpu1.unattributed == .gibibytes(1))
        #expect(gpu1.attribution == "GPU1: 1.0 GiB held by processes outside this PID namespace; cannot attribute (no process of the tree holds /dev/nvidia1)")
        // The cgroup path's pod and container, on every process that has one.
        #expect(processes.first { $0.pid == 7 }?.workload == WorkloadIdentity(podUID: Self.pod, containerID: Self.container))
        #expect(processes.first { $0.pid == 9 }?.workload == nil)
    }

    @Test("two holders of /dev/nvidia0 and one NVML entry: ambiguous, cannot attribute")
    func ambiguous() throws {
        let tree = try Self.tree(hostNamespace: false)
        try tree.link("/proc/1/fd/7", to: "/dev/nvidia0")
        let snapshot = try Self.snapshot(tree, scenario: """
            device total=24GiB used=3174MiB
            proc pid=48213 used=3174MiB
            """)
        let gpu = snapshot.gpus.devices[0]
        #expect(gpu.processes?.first?.matchedPID == nil)
        #expect(gpu.unattributed == .mebibytes(3174))
        let note = try #require(gpu.attribution)
        #expect(note.hasPrefix("GPU0: 3.1 GiB held by processes outside this PID namespace; cannot attribute"))
        #expect(note.contains("2 processes of the tree holding /dev/nvidia0"))
        #expect(snapshot.process?.processes.allSatisfy { $0.gpuMemory == nil } == true)
    }

    @Test("other evidence settles it: sched files that print host PIDs (older kernels)")
    func schedEvidence() throws {
        let tree = try Self.tree(hostNamespace: false)
        try tree.link("/proc/1/fd/7", to: "/dev/nvidia0")
        try tree.write("/proc/1/sched", "python (48100, #threads: 3)\n")
        try tree.write("/proc/7/sched", "worker (48213, #threads: 1)\n")
        let snapshot = try Self.snapshot(tree, scenario: """
            device total=24GiB used=5GiB
            proc pid=48213 used=3GiB
            proc pid=48100 used=2GiB
            """)
        #expect(snapshot.gpus.devices[0].processes?.map(\.matchedPID) == [7, 1])
        #expect(snapshot.gpus.devices[0].attribution == nil)
        #expect(snapshot.process?.processes.first { $0.pid == 1 }?.gpuMemory == .gibibytes(2))
    }

    @Test("no minor number from NVML: cannot attribute, and says why")
    func noMinorNumber() throws {
        let tree = try Self.tree(hostNamespace: false)
        let snapshot = try Self.snapshot(tree, scenario: """
            device total=24GiB used=3GiB minor_error=3
            proc pid=48213 used=na
            """)
        let gpu = snapshot.gpus.devices[0]
        #expect(gpu.minorNumber == nil)
        #expect(gpu.attribution?.contains("0 B or more") == true)
        #expect(gpu.attribution?.contains("NVML gives no minor number") == true)
    }

    @Test("a process that vanishes mid-read, and odd descriptors: no crash, the rest still matched")
    func vanishing() throws {
        let tree = try Self.tree(hostNamespace: false)
        try tree.link("/proc/7/fd/8", to: "/dev/nvidia" + String(repeating: "9", count: 40))
        try tree.link("/proc/7/fd/9", to: "../../nvidia0")
        try tree.write("/proc/7/fd/10", "not a link")
        try tree.link("/proc/7/fd/11", to: "/proc/7/fd/11")
        let inventory = NVMLBackend(libraryPath: try FakeNVML.library(scenario: """
            device total=24GiB used=3GiB
            proc pid=48213 used=3GiB
            """)).inventory()
        var devices = inventory.devices
        let attributor = GPUAttributor(namespace: PIDNamespace(isHost: false, evidence: "test"), root: tree.root)
        // 1234 was listed in the tree but is gone; 9's fd directory goes too.
        try tree.remove("/proc/9")
        let byPID = attributor.attribute(&devices, tree: [1, 7, 9, 1234])
        #expect(byPID == [7: .gibibytes(3)])
        // And when the holder itself is gone, the memory is reported, not dropped.
        try tree.remove("/proc/7")
        var again = inventory.devices
        #expect(attributor.attribute(&again, tree: [1, 7]).isEmpty)
        #expect(again[0].unattributed == .gibibytes(3))
        #expect(again[0].attribution?.contains("cannot attribute") == true)
    }
}
