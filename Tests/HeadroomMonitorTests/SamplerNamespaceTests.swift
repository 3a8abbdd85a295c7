import Foundation
import HeadroomMonitor
import HeadroomSystemTestKit
import Testing

/// `watch` and `serve` read through the Sampler: in a container's own PID namespace,
/// NVML's host PIDs are matched through device files, or the sample says why not.
@Suite("Sampler in a PID namespace of its own")
struct SamplerNamespaceTests {
    /// 1 (python) → 7 (worker), inside a container: PID 1's sched shows PID 1 and there is no kthreadd.
    static func container() throws -> FakeSystemTree {
        let tree = try FakeSystemTree(files: [
            "/proc/meminfo": SamplerTests.meminfo,
            "/proc/1/sched": "python (1, #threads: 2)\n",
            "/proc/1/statm": "5000 1000 300 1 0 900 0\n", "/proc/1/comm": "python\n",
            "/proc/1/task/1/children": "7 ",
            "/proc/1/cgroup": "0::/system.slice/slurmstepd.scope/job_1234/step_0/user/task_0\n",
            "/proc/7/statm": "2000 200 10 1 0 100 0\n", "/proc/7/comm": "worker\n",
            "/proc/7/task/7/children": "",
            "/proc/7/cgroup": "0::/system.slice/slurmstepd.scope/job_1234/step_0/user/task_1\n",
        ])
        try tree.link("/proc/7/fd/5", to: "/dev/nvidia0")
        return tree
    }

    @Test("the one holder of /dev/nvidia0 gets the GPU's one unmatched entry; the Slurm job rides along")
    func matchedThroughDeviceFile() throws {
        let tree = try Self.container()
        let nvml = try FakeNVML.library(scenario: """
            device total=24GiB used=4GiB
            proc pid=48213 used=3GiB
            device total=24GiB used=1GiB
            proc pid=51000 used=1GiB
            """)
        let sampler = Sampler(pid: 1, root: tree.root, gpuBackend: NVMLBackend(libraryPath: nvml),
                              options: .init(readsContainer: false))
        #expect(!sampler.pidNamespace.isHost)
        let sample = sampler.sample()
        #expect(sample.processes.first { $0.pid == 7 }?.gpuMemory == .gibibytes(3))
        #expect(sample.processes.map(\.slurmJob) == ["1234", "1234"])
        #expect(sample.gpus.map(\.treeUsed) == [.gibibytes(3), .zero])
        #expect(sample.gpus[0].unattributed == nil)
        #expect(sample.gpus[1].unattributed == .gibibytes(1))
        #expect(sample.gpus[1].attribution?.contains("cannot attribute") == true)

        // The JSON a sample log writes carries the new keys beside the old ones.
        let json = String(decoding: try JSONEncoder().encode(sample), as: UTF8.self)
        #expect(json.contains("\"unattributedBytes\":\(1 << 30)"))
        #expect(json.contains("\"slurmJob\":\"1234\""))
        #expect(json.contains("\"treeUsedBytes\""))
    }

    @Test("a second holder makes it ambiguous: nothing counted for the tree, the bytes reported")
    func ambiguous() throws {
        let tree = try Self.container()
        try tree.link("/proc/1/fd/9", to: "/dev/nvidia0")
        let nvml = try FakeNVML.library(scenario: """
            device total=24GiB used=3GiB
            proc pid=48213 used=3GiB
            """)
        let sample = Sampler(pid: 1, root: tree.root, gpuBackend: NVMLBackend(libraryPath: nvml),
                             options: .init(readsContainer: false)).sample()
        #expect(sample.processes.allSatisfy { $0.gpuMemory == nil })
        #expect(sample.gpus.first?.treeUsed == .zero)
        #expect(sample.gpus.first?.unattributed == .gibibytes(3))
        #expect(sample.gpus.first?.attribution?.hasPrefix("GPU0: 3.0 GiB held by processes outside this PID namespace; cannot attribute") == true)
    }

    @Test("a process whose /proc entry vanishes between samples: no crash, its memory reported as unattributed")
    func vanishes() throws {
        let tree = try Self.container()
        let nvml = try FakeNVML.library(scenario: """
            device total=24GiB used=3GiB
            proc pid=48213 used=3GiB
            """)
        let sampler = Sampler(pid: 1, root: tree.root, gpuBackend: NVMLBackend(libraryPath: nvml),
                              options: .init(readsContainer: false))
        #expect(sampler.sample().gpus.first?.treeUsed == .gibibytes(3))
        try tree.remove("/proc/7/fd")
        try tree.write("/proc/1/task/1/children", "")
        let later = sampler.sample()
        #expect(later.processes.map(\.pid) == [1])
        #expect(later.gpus.first?.unattributed == .gibibytes(3))
    }
}
