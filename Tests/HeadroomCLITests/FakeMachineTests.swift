import Foundation
import HeadroomSystemTestKit
import Testing

/// The binary against scripted machines: a fake NVML library and a fixture `/proc` and `/sys`.
@Suite("headroom on scripted machines")
struct FakeMachineTests {
    static let gib: Int64 = 1 << 30
    static let mib: Int64 = 1 << 20

    static let twoGPUs = """
        driver 550.54.15
        cuda 12040
        device name=NVIDIA_H100_80GB_HBM3 uuid=GPU-aaaa total=80GiB reserved=512MiB used=12GiB util=45,30 temp=41 power_mw=310000 limit_mw=700000 ecc=1
        proc pid=4242 used=8GiB
        proc pid=4343 used=4GiB
        device name=NVIDIA_L4 uuid=GPU-bbbb total=24GiB reserved=0 used=0 util=0,0 temp=30 temp_error=3
        """

    @Test("diagnose --json shows every scripted GPU field by field")
    func gpusInJSON() throws {
        let nvml = try FakeNVML.library(scenario: FakeMachineTests.twoGPUs)
        let result = try CLI.run(["diagnose", "--json"], nvml: nvml)
        #expect(result.status == 0, "\(result.standardError)")
        let json = try CLI.json(result)
        let (gib, mib) = (FakeMachineTests.gib, FakeMachineTests.mib)
        #expect(json.string("gpuDriver.driverVersion") == "550.54.15")
        #expect(json.string("gpuDriver.cudaDriverVersion") == "12.4")
        #expect(json.string("gpus.0.name") == "NVIDIA H100 80GB HBM3")
        #expect(json.string("gpus.0.uuid") == "GPU-aaaa")
        #expect(json.int("gpus.0.memory.totalBytes") == 80 * gib)
        #expect(json.int("gpus.0.memory.reservedBytes") == 512 * mib)
        #expect(json.int("gpus.0.memory.usedBytes") == 12 * gib)
        #expect(json.int("gpus.0.memory.freeBytes") == 80 * gib - 512 * mib - 12 * gib)
        #expect(json.int("gpus.0.utilization.gpuPercent") == 45)
        #expect(json.int("gpus.0.temperatureCelsius") == 41)
        #expect(json.double("gpus.0.powerWatts") == 310)
        #expect(json.at("gpus.0.eccEnabled") as? Bool == true)
        #expect(json.int("gpus.0.processes.1.pid") == 4343)
        #expect(json.int("gpus.0.processes.1.usedMemoryBytes") == 4 * gib)
        #expect(json.string("gpus.1.name") == "NVIDIA L4")
        #expect(json.at("gpus.1.temperatureCelsius") == nil)
        #expect(json.string("gpus.1.issues.0.field") == "temperature")
        #expect(json.string("gpus.1.issues.0.reason")?.contains("Not Supported") == true)

        // Balanced: 75% of free, as a fraction of the total.
        let free = 80 * gib - 512 * mib - 12 * gib
        let limit = Int64((Double(free) * 0.75).rounded(.down))
        #expect(json.int("recommendations.gpus.0.memoryLimitBytes") == limit)
        let fraction = try #require(json.double("recommendations.gpus.0.memoryFraction"))
        #expect(abs(fraction - Double(limit) / Double(80 * gib)) < 1e-9)
        let codes = (json.at("recommendations.warnings") as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("gpuMemoryHeld"))
        #expect(codes.contains("gpuReservedMemory"))
        #expect(!codes.contains("noGPU"))
    }

    @Test("the human report lists GPUs, their processes and what could not be read")
    func gpusInText() throws {
        let nvml = try FakeNVML.library(scenario: FakeMachineTests.twoGPUs)
        let result = try CLI.run(["diagnose"], nvml: nvml)
        #expect(result.status == 0)
        let text = result.standardOutput
        #expect(text.contains("driver        550.54.15 · CUDA 12.4"))
        #expect(text.contains("GPU0  NVIDIA H100 80GB HBM3  GPU-aaaa"))
        #expect(text.contains("memory      67.5 GiB free of 80.0 GiB · used 12.0 GiB · reserved 512.0 MiB"))
        #expect(text.contains("processes   4242 8.0 GiB, 4343 4.0 GiB"))
        #expect(text.contains("unavailable temperature: Not Supported"))
        #expect(text.contains("! GPU0: 12.0 GiB of 80.0 GiB already held by 2 processes (PID 4242, 4343)"))
    }

    @Test("env fits the GPU settings to every GPU: the least free memory and the lowest share; eval works in bash")
    func envEval() throws {
        let nvml = try FakeNVML.library(scenario: FakeMachineTests.twoGPUs)
        let json = try CLI.json(try CLI.run(["env", "--format", "json", "--level", "aggressive"], nvml: nvml))
        // GPU1 (24 GiB free) has less than GPU0 (67.5 GiB free).
        #expect(json.int("gpuIndex") == 1)
        let limit = Int64((Double(24 * FakeMachineTests.gib) * 0.85).rounded(.down))
        #expect(json.int("gpuMemoryLimitBytes") == limit)

        let script = """
            eval "$("$HEADROOM" env --level aggressive)" && \
            printf '%s|%s|%s|%s\\n' "$XLA_PYTHON_CLIENT_MEM_FRACTION" "$PYTORCH_CUDA_ALLOC_CONF" "$TF_FORCE_GPU_ALLOW_GROWTH" "$HEADROOM_ORT_CUDA_PROVIDER_OPTIONS"
            """
        let shell = CommandRunner(executable: URL(fileURLWithPath: "/bin/bash"))
        let result = try shell.run(["-c", script], environment: [
            "HEADROOM": CLI.runner.executable.path, "HEADROOM_NVML_LIBRARY": nvml,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        // The fraction is safe on both GPUs: GPU0's 85% of 67.5 GiB free is 71% of its 80 GiB, below GPU1's 85%.
        #expect(result.standardOutput == "0.71|expandable_segments:True|true|{\"device_id\": \"1\", \"gpu_mem_limit\": \"\(limit)\", \"arena_extend_strategy\": \"kSameAsRequested\", \"cudnn_conv_algo_search\": \"HEURISTIC\", \"do_copy_in_default_stream\": \"1\"}\n")
    }

    @Test("env --gpu and --gpu-fraction pick the device and the share")
    func envOverrides() throws {
        let nvml = try FakeNVML.library(scenario: FakeMachineTests.twoGPUs)
        let json = try CLI.json(try CLI.run(["env", "--format", "json", "--gpu", "0", "--gpu-fraction", "60%", "--framework", "jax", "torch"], nvml: nvml))
        #expect(json.int("gpuIndex") == 0)
        #expect(json.int("gpuMemoryLimitBytes") == Int64((Double(80 * FakeMachineTests.gib) * 0.6).rounded(.down)))
        let names = (json.at("variables") as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names == ["OMP_NUM_THREADS", "PYTORCH_CUDA_ALLOC_CONF", "HEADROOM_TORCH_MEMORY_FRACTION", "XLA_PYTHON_CLIENT_MEM_FRACTION"])

        let missing = try CLI.run(["env", "--gpu", "7"], nvml: nvml)
        #expect(missing.status == 1)
        #expect(missing.standardError == "Error: --gpu 7: no such GPU with readable memory (found: 0, 1)\n")
        let bad = try CLI.run(["env", "--gpu-fraction", "150%"], nvml: nvml)
        #expect(bad.status == 64)
        #expect(bad.standardError.hasPrefix("Error: --gpu-fraction: invalid size '150%': a percentage must be above 0 and at most 100"))
    }

    @Test("dotenv quotes only what needs it")
    func dotenv() throws {
        let nvml = try FakeNVML.library(scenario: FakeMachineTests.twoGPUs)
        let result = try CLI.run(["env", "--format", "dotenv", "--framework", "onnxruntime", "tensorflow"], nvml: nvml)
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.contains("TF_FORCE_GPU_ALLOW_GROWTH=true"))
        #expect(lines.contains { $0.hasPrefix("HEADROOM_ORT_CUDA_PROVIDER_OPTIONS=\"{\\\"device_id\\\": \\\"1\\\"") })
        #expect(!lines.contains { $0.hasPrefix("export ") })
    }

    @Test("a container limit below host RAM is found, reported and warned about")
    func containerLimit() throws {
        let tree = try FakeSystemTree(files: [
            "/proc/meminfo": "MemTotal: 67108864 kB\nMemFree: 50331648 kB\nMemAvailable: 60000000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",
            "/proc/self/cgroup": "0::/kubepods/pod1\n",
            "/proc/self/mountinfo": "30 20 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n",
            "/sys/fs/cgroup/kubepods/memory.max": "max\n",
            "/sys/fs/cgroup/kubepods/pod1/memory.max": "17179869184\n",
            "/sys/fs/cgroup/kubepods/pod1/memory.current": "8589934592\n",
            "/sys/fs/cgroup/kubepods/pod1/memory.stat": "anon 6442450944\ninactive_file 2147483648\n",
            "/sys/fs/cgroup/kubepods/pod1/memory.events": "low 0\nhigh 0\nmax 3\noom 2\noom_kill 1\n",
            "/proc/1/status": "Name:\tinit\nPPid:\t0\nVmHWM:\t2048 kB\nVmRSS:\t1024 kB\n",
        ])
        let json = try CLI.json(try CLI.run(["diagnose", "--json", "--system-root", tree.path]))
        #expect(json.int("container.limitBytes") == 16 * FakeMachineTests.gib)
        #expect(json.int("container.usageBytes") == 6 * FakeMachineTests.gib)
        #expect(json.int("container.availableBytes") == 10 * FakeMachineTests.gib)
        #expect(json.int("container.oomKills") == 1)
        #expect(json.string("container.version") == "v2")
        // Cap: the container's 10 GiB headroom (below host available) × 0.75.
        #expect(json.int("recommendations.hostMemoryCapBytes") == Int64((Double(10 * FakeMachineTests.gib) * 0.75).rounded(.down)))
        let codes = (json.at("recommendations.warnings") as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("containerLimit"))
        #expect(codes.contains("oomKills"))

        let text = try CLI.run(["diagnose", "--system-root", tree.path]).standardOutput
        #expect(text.contains("limit         16.0 GiB (below host RAM 64.0 GiB)"))
        #expect(text.contains("in use        6.0 GiB (37.5% of limit) · 2.0 GiB reclaimable cache not counted"))
    }
}
