import Headroom
import Testing

/// The advisor, the planner's machine and the batcher's budget take a MIG slice's memory
/// when `CUDA_VISIBLE_DEVICES` names it, and whole GPUs when it is unset.
@Suite("MIG slices in the advisor, the planner and the batcher")
struct MIGBudgetTests {
    /// An 80 GiB GPU split into seven 10 GiB slices (the first with 2 GiB in use), and a 24 GiB GPU.
    static func inventory(visible: String?) -> GPUInventory {
        var gpu = Snapshots.gpu(index: 0, total: 80, used: 2)
        gpu.uuid = "GPU-a100"
        gpu.mig = MIGState(isEnabled: true, isPendingEnabled: true, maxDeviceCount: 7, devices: (0..<7).map { slice in
            let used = ByteCount.gibibytes(slice == 0 ? 2 : 0)
            return MIGDevice(index: slice, uuid: "MIG-slice-\(slice)", name: "A100 MIG 1g.10gb", profile: "1g.10gb",
                             gpuInstanceID: 7 + slice, computeInstanceID: 0,
                             memory: GPUMemory(total: .gibibytes(10), reserved: .zero, used: used, free: .gibibytes(10) - used))
        })
        var second = Snapshots.gpu(index: 1, total: 24, used: 0)
        second.uuid = "GPU-l4"
        var inventory = GPUInventory(backend: "test", isAvailable: true, devices: [gpu, second])
        inventory.cudaVisibleDevices = visible
        return inventory
    }

    static func snapshot(visible: String?) -> MemorySnapshot {
        var snapshot = Snapshots.snapshot()
        snapshot.gpus = inventory(visible: visible)
        return snapshot
    }

    @Test("the advisor's GPU limit is the slice's, and env's device is the job's cuda:0")
    func advisor() {
        let advice = Advisor(level: .balanced).recommend(for: Self.snapshot(visible: "MIG-slice-0"))
        #expect(advice.gpus.count == 1)
        let gpu = advice.gpus[0]
        #expect(gpu.free == .gibibytes(8) && gpu.total == .gibibytes(10))
        #expect(gpu.memoryLimit == MemoryBudget(free: .gibibytes(8), level: .balanced).usable)
        #expect(gpu.migDeviceUUID == "MIG-slice-0" && gpu.cudaDevice == 0)
        let settings = Advisor(level: .balanced).frameworkSettings([.onnxruntime], from: advice)
        #expect(settings.gpuMemoryLimit == gpu.memoryLimit)
        #expect(settings.onnxRuntimeCUDAOptions.first { $0.key == "device_id" }?.value == "0")

        // GPU 1 named alone is cuda:0 in the job: device_id 0, while index stays NVML's 1.
        let second = Advisor(level: .balanced).recommend(for: Self.snapshot(visible: "1"))
        #expect(second.gpus.map(\.index) == [1] && second.gpus.first?.cudaDevice == 0)
        let secondSettings = Advisor(level: .balanced).frameworkSettings([.onnxruntime], from: second)
        #expect(secondSettings.onnxRuntimeCUDAOptions.first { $0.key == "device_id" }?.value == "0")
    }

    @Test("unset: both GPUs whole, as before; a note that GPU0 is in MIG mode")
    func unsetUnchanged() {
        let advice = Advisor(level: .balanced).recommend(for: Self.snapshot(visible: nil))
        #expect(advice.gpus.map(\.total) == [.gibibytes(80), .gibibytes(24)])
        #expect(advice.gpus.allSatisfy { $0.cudaDevice == nil && $0.migDeviceUUID == nil })
        #expect(advice.warnings.contains { $0.code == .cudaVisibleDevices && $0.message.contains("MIG mode") })
    }

    @Test("a UUID that matches nothing: no GPU budget, and a warning that says why")
    func unmatched() {
        let advice = Advisor(level: .balanced).recommend(for: Self.snapshot(visible: "MIG-nothing"))
        #expect(advice.gpus.isEmpty)
        #expect(advice.warnings.contains { $0.code == .cudaVisibleDevices && $0.message.contains("MIG-nothing matches no MIG device") })
    }

    @Test("the planner's machine has the slice's free memory")
    func planner() {
        let memory = MachineMemory(host: Snapshots.host(), cgroup: nil, pressure: nil)
        let machine = MachineResources(memory: memory, gpus: Self.inventory(visible: "MIG-slice-3"))
        #expect(machine.gpus.count == 1)
        #expect(machine.gpus.first?.free == .gibibytes(10))
        #expect(machine.gpus.first?.name == "A100 MIG 1g.10gb")
        let whole = MachineResources(memory: memory, gpus: Self.inventory(visible: nil))
        #expect(whole.gpus.map(\.free) == [.gibibytes(78), .gibibytes(24)])
    }

    @Test("the batcher's budget from the job's device: the slice, not the GPU")
    func batcher() throws {
        let device = try #require(Self.inventory(visible: "MIG-slice-0").selection.devices.first)
        let budget = try #require(BatchBudget(device: device, fixed: .gibibytes(2), perItem: .mebibytes(512)))
        #expect(budget.free == .gibibytes(8))
        #expect(budget.batchSize == BatchBudget(free: .gibibytes(8), fixed: .gibibytes(2), perItem: .mebibytes(512)).batchSize)
        let whole = try #require(BatchBudget(device: VisibleGPU(cudaDevice: 0, gpu: Self.inventory(visible: nil).devices[0]),
                                             fixed: .gibibytes(2), perItem: .mebibytes(512)))
        #expect(budget.batchSize < whole.batchSize)
    }
}
