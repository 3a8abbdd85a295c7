import Foundation
import HeadroomSystemTestKit
import Testing

/// `diagnose` run as if inside a Kubernetes container with its own PID namespace:
/// a fixture `/proc` and a fake NVML that reports host PIDs.
@Suite("headroom diagnose in a container")
struct DiagnoseContainerTests {
    static let uid = "0b7a1c2d-1111-2222-3333-444455556666"
    static let id = "3f1e0c9a8b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f"

    static func tree() throws -> FakeSystemTree {
        let cgroup = "0::/kubepods/burstable/pod\(uid)/\(id)\n"
        let tree = try FakeSystemTree(files: [
            "/proc/meminfo": "MemTotal: 67108864 kB\nMemFree: 50331648 kB\nMemAvailable: 60000000 kB\n",
            "/proc/1/sched": "python (1, #threads: 3)\n",
            "/proc/1/stat": "1 (python) S 0 1 1 0 -1 4194560 120 0 0 0 3 1 0 0 20 0 1 0 12345 10000000 250\n",
            "/proc/1/status": "Name:\tpython\nPPid:\t0\nVmHWM:\t2048 kB\nVmRSS:\t1024 kB\n",
            "/proc/1/cgroup": cgroup,
            "/proc/7/stat": "7 (worker) S 1 1 1 0 -1 4194560 120 0 0 0 3 1 0 0 20 0 1 0 12345 10000000 250\n",
            "/proc/7/status": "Name:\tworker\nPPid:\t1\nVmRSS:\t512 kB\n",
            "/proc/7/cgroup": cgroup,
        ])
        try tree.link("/proc/7/fd/5", to: "/dev/nvidia0")
        return tree
    }

    static let scenario = """
        device name=NVIDIA_L4 total=24GiB used=4GiB
        proc pid=48213 used=3GiB
        proc pid=60001 used=1GiB
        device name=NVIDIA_L4 total=24GiB used=0
        """

    @Test("--json: pidNamespace, the worker's VRAM through its device file, unattributed bytes, pod and container")
    func json() throws {
        let tree = try Self.tree()
        let nvml = try FakeNVML.library(scenario: Self.scenario)
        let result = try CLI.run(["diagnose", "--json", "--system-root", tree.path], nvml: nvml)
        #expect(result.status == 0, "\(result.standardError)")
        let json = try CLI.json(result)
        #expect(json.at("pidNamespace.isHost") as? Bool == false)
        #expect(json.string("pidNamespace.evidence")?.contains("kthreadd") == true)
        // Two NVML entries, one holder of /dev/nvidia0: which entry is the worker's is unknown.
        #expect(json.int("gpus.0.minorNumber") == 0)
        #expect(json.int("gpus.0.unattributedBytes") == 4 * FakeMachineTests.gib)
        #expect(json.string("gpus.0.attribution")?.contains("cannot attribute") == true)
        #expect(json.int("gpus.1.unattributedBytes") == nil)
        #expect(json.string("process.processes.1.podUID") == Self.uid)
        #expect(json.string("process.processes.1.containerID") == Self.id)
        #expect(json.string("process.root.podUID") == Self.uid)
        #expect(json.at("process.processes.1.pod") == nil)
    }

    @Test("one entry, one holder: matched; the text names the namespace, the pod, and the match; --pod-names names it")
    func text() throws {
        let tree = try Self.tree()
        let nvml = try FakeNVML.library(scenario: """
            device name=NVIDIA_L4 total=24GiB used=3GiB
            proc pid=48213 used=3GiB
            """)
        let names = tree.root.resolve("/names.txt")
        try tree.write("/names.txt", "\(Self.uid) ml/trainer-0\n\(Self.id) ml/trainer-0/main\n")
        let json = try CLI.json(try CLI.run(["diagnose", "--json", "--system-root", tree.path, "--pod-names", names], nvml: nvml))
        #expect(json.int("process.processes.1.gpuMemoryBytes") == 3 * FakeMachineTests.gib)
        #expect(json.int("gpus.0.processes.0.matchedPID") == 7)
        #expect(json.string("process.processes.1.namespace") == "ml")
        #expect(json.string("process.processes.1.pod") == "trainer-0")
        #expect(json.string("process.processes.1.container") == "main")

        let text = try CLI.run(["diagnose", "--system-root", tree.path, "--pod-names", names], nvml: nvml).standardOutput
        #expect(text.contains("PIDs          not the host's (no kernel threads"))
        #expect(text.contains("GPU memory    3.0 GiB · 7 3.0 GiB"))
        #expect(text.contains("ml/trainer-0/main · pod \(Self.uid) · container \(Self.id.prefix(12))"))
        #expect(text.contains("attribution GPU0: host PID 48213 matched to PID 7"))
    }

    @Test("a --pod-names file that cannot be read or parsed: one clear error, exit 1")
    func badNames() throws {
        let tree = try Self.tree()
        let missing = try CLI.run(["diagnose", "--system-root", tree.path, "--pod-names", tree.root.resolve("/none")])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("cannot read --pod-names file"))
        try tree.write("/bad.txt", "only-a-key\n")
        let bad = try CLI.run(["diagnose", "--system-root", tree.path, "--pod-names", tree.root.resolve("/bad.txt")])
        #expect(bad.status == 1)
        #expect(bad.standardError.contains("line 1"))
        try tree.write("/bad.json", "{\"x\": 3}")
        let badJSON = try CLI.run(["diagnose", "--system-root", tree.path, "--pod-names", tree.root.resolve("/bad.json")])
        #expect(badJSON.status == 1)
    }
}
