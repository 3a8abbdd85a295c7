import Headroom
import Testing

/// Snapshots built by hand, so every figure the advisor derives is known.
enum Snapshots {
    static let gib = ByteCount.gibibytes(1)

    static func host(total: Int64 = 64, available: Int64 = 48, swapTotal: Int64 = 0, swapFree: Int64 = 0) -> HostMemory {
        HostMemory(total: .gibibytes(total), available: .gibibytes(available), free: .gibibytes(available / 2),
                   cached: .gibibytes(4), swapTotal: .gibibytes(swapTotal), swapFree: .gibibytes(swapFree),
                   availableIsEstimated: false)
    }

    static func gpu(index: Int, total: Int64, used: Int64, reserved: Int64 = 0, processes: [GPUProcess]? = []) -> GPUDevice {
        var device = GPUDevice(index: index)
        device.name = "GPU \(index)"
        let free = ByteCount.gibibytes(total - used - reserved)
        device.memory = GPUMemory(total: .gibibytes(total), reserved: .gibibytes(reserved), used: .gibibytes(used), free: free)
        device.processes = processes
        return device
    }

    static func snapshot(host: HostMemory = host(), cgroup: ContainerMemory? = nil, pressure: MemoryPressure? = nil,
                         cpu: CPUInfo = CPUInfo(logical: 8, physical: 4, allowed: 8, quota: nil),
                         gpus: [GPUDevice] = []) -> MemorySnapshot {
        MemorySnapshot(host: host, cgroup: cgroup, pressure: pressure, cpu: cpu, process: nil,
                       gpus: GPUInventory(backend: "test", isAvailable: !gpus.isEmpty, devices: gpus))
    }

    static func cgroup(limit: Int64?, usage: Int64, oomKills: Int64 = 0) -> ContainerMemory {
        ContainerMemory(version: .v2, cgroupPath: "/test", limit: limit.map { .gibibytes($0) }, limitSource: "/sys/fs/cgroup/test",
                        high: nil, usage: .gibibytes(usage), charged: .gibibytes(usage), inactiveFile: .zero, peak: nil,
                        oomKills: oomKills, limitHits: 0, pressure: nil)
    }
}

@Suite("Advisor")
struct AdvisorTests {
    @Test("each level plans for its share of free memory", arguments: OptimizationLevel.allCases)
    func levels(level: OptimizationLevel) {
        let expected: [OptimizationLevel: Double] = [.conservative: 0.5, .balanced: 0.75, .aggressive: 0.85, .extreme: 0.95]
        #expect(level.safetyMargin == expected[level])
        let snapshot = Snapshots.snapshot(gpus: [Snapshots.gpu(index: 0, total: 80, used: 0)])
        let advice = Advisor(level: level).recommend(for: snapshot)
        #expect(advice.hostMemoryCap == ByteCount.gibibytes(48) * level.safetyMargin)
        #expect(advice.gpus[0].memoryLimit == ByteCount.gibibytes(80) * level.safetyMargin)
        #expect(abs(advice.gpus[0].memoryFraction - level.safetyMargin) < 1e-12)
    }

    @Test("the GPU limit counts only free memory; the fraction is of the total")
    func gpuHeldByOthers() {
        let snapshot = Snapshots.snapshot(gpus: [Snapshots.gpu(index: 0, total: 80, used: 20, reserved: 0)])
        let gpu = Advisor(level: .balanced).recommend(for: snapshot).gpus[0]
        #expect(gpu.free == .gibibytes(60))
        #expect(gpu.memoryLimit == .gibibytes(45))
        #expect(gpu.memoryFraction == 45.0 / 80.0)
    }

    @Test("the host cap respects the container: the lower of host available and limit minus usage")
    func containerCap() {
        let snapshot = Snapshots.snapshot(cgroup: Snapshots.cgroup(limit: 16, usage: 4))
        #expect(snapshot.container != nil)
        #expect(snapshot.effectiveLimit == .gibibytes(16))
        #expect(snapshot.effectiveAvailable == .gibibytes(12))
        #expect(Advisor(level: .balanced).recommend(for: snapshot).hostMemoryCap == .gibibytes(9))
        // An unlimited cgroup is not a container: host figures rule.
        let unlimited = Snapshots.snapshot(cgroup: Snapshots.cgroup(limit: nil, usage: 4))
        #expect(unlimited.container == nil)
        #expect(unlimited.effectiveAvailable == .gibibytes(48))
    }

    @Test("threads follow the effective CPUs; conservative leaves one on four or more")
    func threads() {
        let quota = Snapshots.snapshot(cpu: CPUInfo(logical: 16, physical: 8, allowed: 16, quota: 2.5))
        #expect(quota.cpu.effective == 3)
        #expect(Advisor(level: .balanced).recommend(for: quota).threads == 3)
        let pinned = Snapshots.snapshot(cpu: CPUInfo(logical: 16, physical: 8, allowed: 6, quota: nil))
        #expect(Advisor(level: .conservative).recommend(for: pinned).threads == 5)
        let small = Snapshots.snapshot(cpu: CPUInfo(logical: 2, physical: 1, allowed: 2, quota: 0.5))
        #expect(Advisor(level: .conservative).recommend(for: small).threads == 1)
    }

    @Test("a unified-memory GPU is budgeted from host memory")
    func unifiedMemory() {
        var device = GPUDevice(index: 0)
        device.isUnifiedMemory = true
        let advice = Advisor(level: .balanced).recommend(for: Snapshots.snapshot(gpus: [device]))
        #expect(advice.gpus[0].isUnifiedMemory)
        #expect(advice.gpus[0].memoryLimit == .gibibytes(36))
        #expect(advice.gpus[0].total == .gibibytes(64))
        #expect(advice.warnings.map(\.code).contains(.unifiedMemory))
    }

    @Test("warnings a person can act on, and none on a healthy machine")
    func warnings() {
        let healthy = Advisor().warnings(for: Snapshots.snapshot(gpus: [Snapshots.gpu(index: 0, total: 24, used: 0)]))
        #expect(healthy.isEmpty)

        let pressure = MemoryPressure(parsing: "some avg10=23.50 avg60=5.00 avg300=1.00 total=1\nfull avg10=2.00 avg60=0.00 avg300=0.00 total=1\n")
        let troubled = Snapshots.snapshot(
            host: Snapshots.host(total: 64, available: 4, swapTotal: 8, swapFree: 5),
            cgroup: Snapshots.cgroup(limit: 32, usage: 30, oomKills: 3), pressure: pressure,
            gpus: [Snapshots.gpu(index: 0, total: 80, used: 20, reserved: 1,
                                 processes: [GPUProcess(pid: 999_999, usedMemory: .gibibytes(20), kind: .compute)])])
        let codes = Advisor().warnings(for: troubled).map(\.code.rawValue)
        #expect(codes == ["swapInUse", "memoryPressure", "containerLimit", "containerNearLimit", "oomKills",
                          "lowMemory", "gpuMemoryHeld", "gpuReservedMemory"])
        let messages = Advisor().warnings(for: troubled).map(\.message)
        #expect(messages[0].hasPrefix("swap in use: 3.0 GiB of 8.0 GiB"))
        #expect(messages[1].contains("23.5%"))
        #expect(messages[3].hasPrefix("container memory at 94% of its limit (30.0 GiB of 32.0 GiB)"))
        #expect(messages[6] == "GPU0: 20.0 GiB of 80.0 GiB already held by 1 process (PID 999999); the limits below count only what is free")

        let noGPU = Advisor().warnings(for: Snapshots.snapshot())
        #expect(noGPU.map(\.code) == [.noGPU])
    }
}

@Suite("Framework settings")
struct FrameworkSettingsTests {
    let snapshot = Snapshots.snapshot(gpus: [Snapshots.gpu(index: 0, total: 80, used: 0),
                                             Snapshots.gpu(index: 1, total: 40, used: 8)])

    @Test("every framework gets its settings from the GPU with the least room")
    func allFrameworks() {
        let advisor = Advisor(level: .balanced)
        let settings = advisor.frameworkSettings(Set(Framework.allCases), from: advisor.recommend(for: snapshot))
        #expect(settings.gpuIndex == 1)
        #expect(settings.gpuMemoryLimit == .gibibytes(24))
        let values = Dictionary(uniqueKeysWithValues: settings.variables.map { ($0.name, $0.value) })
        #expect(values["OMP_NUM_THREADS"] == "8")
        #expect(values["XLA_PYTHON_CLIENT_MEM_FRACTION"] == "0.60")
        #expect(values["HEADROOM_TORCH_MEMORY_FRACTION"] == "0.60")
        #expect(values["PYTORCH_CUDA_ALLOC_CONF"] == "expandable_segments:True,garbage_collection_threshold:0.75")
        #expect(values["TF_FORCE_GPU_ALLOW_GROWTH"] == "true")
        #expect(values["HEADROOM_TF_MEMORY_LIMIT_MB"] == String(24 * 1024))
        #expect(settings.onnxRuntimeCUDAOptions.map(\.key) == ["device_id", "gpu_mem_limit", "arena_extend_strategy",
                                                                "cudnn_conv_algo_search", "do_copy_in_default_stream"])
        #expect(settings.onnxRuntimeCUDAOptions[1].value == String(ByteCount.gibibytes(24).bytes))
    }

    @Test("a fraction is never rounded up past the limit")
    func fractionRoundsDown() {
        let odd = Snapshots.snapshot(gpus: [Snapshots.gpu(index: 0, total: 3, used: 0)])
        let advisor = Advisor(level: .extreme)
        let settings = advisor.frameworkSettings([.jax], from: advisor.recommend(for: odd), gpuShare: .fraction(0.999))
        #expect(settings.variables.first { $0.name == "XLA_PYTHON_CLIENT_MEM_FRACTION" }?.value == "0.99")
    }

    @Test("without a GPU only CPU settings remain, with a note saying why")
    func noGPU() {
        let advisor = Advisor()
        let settings = advisor.frameworkSettings(Set(Framework.allCases), from: advisor.recommend(for: Snapshots.snapshot()))
        #expect(settings.variables.map(\.name) == ["OMP_NUM_THREADS"])
        #expect(settings.gpuIndex == nil)
        #expect(settings.notes == ["no GPU whose memory could be read: GPU settings are left out"])
    }
}
