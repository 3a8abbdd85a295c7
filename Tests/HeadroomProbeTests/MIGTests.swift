import HeadroomProbe
import HeadroomSystemTestKit
import Testing

/// MIG mode and MIG devices through the fake NVML, and `CUDA_VISIBLE_DEVICES` applied to them.
@Suite("MIG through NVML, and CUDA_VISIBLE_DEVICES")
struct MIGTests {
    func read(_ scenario: String, omitting: Set<FakeNVML.Omission> = [], visible: String? = nil,
              sourceLocation: SourceLocation = #_sourceLocation) throws -> (inventory: GPUInventory, path: String) {
        let path = try FakeNVML.library(scenario: scenario, omitting: omitting)
        let inventory = NVMLBackend(libraryPath: path, cudaVisibleDevices: visible).inventory()
        #expect(FakeNVML.scenarioProblem(in: path) == nil, "the fake did not understand its scenario", sourceLocation: sourceLocation)
        return (inventory, path)
    }

    static let gib = ByteCount.gibibytes(1)

    @Test("MIG on: seven 1g.10gb devices with their memory, instance IDs, profile and UUID")
    func sevenSlices() throws {
        let (inventory, path) = try read(FakeNVML.sevenSliceScenario)
        let gpu = try #require(inventory.devices.first)
        let mig = try #require(gpu.mig)
        #expect(mig.isEnabled && mig.isPendingEnabled && !mig.isChangePending)
        #expect(mig.maxDeviceCount == 7)
        #expect(mig.devices.count == 7)
        #expect(mig.issues.isEmpty)
        #expect(gpu.memory?.total == .gibibytes(80))
        let first = mig.devices[0]
        #expect(first.index == 0)
        #expect(first.profile == "1g.10gb")
        #expect(first.name == "NVIDIA A100-SXM4-80GB MIG 1g.10gb")
        #expect(first.uuid == "MIG-5c0b0000-0000-0000-0000-000000000000")
        #expect(first.gpuInstanceID == 7 && first.computeInstanceID == 0)
        #expect(first.memory?.total == .gibibytes(10))
        #expect(first.memory?.free == .gibibytes(8))
        #expect(mig.devices[6].gpuInstanceID == 13)
        #expect(mig.devices[6].memory?.free == .gibibytes(10))
        #expect(mig.devices.allSatisfy { $0.issues.isEmpty })
        let handleCalls = FakeNVML.callCount(of: "nvmlDeviceGetMigDeviceHandleByIndex", in: path)
        #expect(handleCalls == 7)
    }

    @Test("mode pending: off now, on after a reset; no MIG devices listed")
    func pending() throws {
        let (inventory, _) = try read("device name=NVIDIA_H100_80GB_HBM3 total=80GiB mig=0 mig_pending=1\nmig profile=1g.10gb gi=1 ci=0 total=10GiB")
        let mig = try #require(inventory.devices.first?.mig)
        #expect(!mig.isEnabled && mig.isPendingEnabled && mig.isChangePending)
        #expect(mig.devices.isEmpty)
        // Unset, the job gets the whole GPU.
        #expect(inventory.selection.devices.first?.memory?.total == .gibibytes(80))
    }

    @Test("an old driver without MIG functions, and a GPU that cannot be split: no MIG information, no failure")
    func noMIG() throws {
        let (old, path) = try read(FakeNVML.sevenSliceScenario, omitting: [.mig])
        let gpu = try #require(old.devices.first)
        #expect(gpu.mig == nil)
        #expect(gpu.memory?.total == .gibibytes(80))
        #expect(gpu.issues.allSatisfy { !$0.reason.contains("Mig") })
        let modeCalls = FakeNVML.callCount(of: "nvmlDeviceGetMigMode", in: path)
        #expect(modeCalls == 0)
        let (plain, _) = try read("device total=24GiB")
        #expect(plain.devices.first?.mig == nil)
        #expect(plain.devices.first?.issues.allSatisfy { !$0.reason.contains("Mig") } == true)
        // With MIG symbols missing, a MIG UUID matches nothing, and says so.
        let selection = old.selection(cudaVisibleDevices: "MIG-5c0b0000-0000-0000-0000-000000000003")
        #expect(selection.devices.isEmpty)
        #expect(selection.notes.contains { $0.contains("matches no MIG device's UUID") })
    }

    @Test("a failing MIG mode query is no MIG information; holes in MIG indices are skipped")
    func errorsAndHoles() throws {
        let (failing, _) = try read("device total=80GiB mig=1 mig_error=999\nmig total=10GiB")
        #expect(failing.devices.first?.mig == nil)
        let (holes, _) = try read("device total=80GiB mig=1\nmig index=2 total=20GiB gi=3 ci=0\nmig index=5 total=10GiB gi=9 ci=0")
        let mig = try #require(holes.devices.first?.mig)
        #expect(mig.devices.map(\.index) == [2, 5])
        #expect(mig.devices.map(\.profile) == ["20gb", "10gb"] || mig.devices.allSatisfy { $0.profile != nil })
    }

    @Test("the profile from the name, else the memory rounded up to whole GiB")
    func profileNames() {
        #expect(MIGDevice.profile(name: "NVIDIA A100-SXM4-80GB MIG 3g.40gb", memory: nil) == "3g.40gb")
        let memory = GPUMemory(total: ByteCount(Int64(9.75 * Double(1 << 30))), reserved: nil, used: .zero, free: .zero)
        #expect(MIGDevice.profile(name: "Some GPU", memory: memory) == "10gb")
        #expect(MIGDevice.profile(name: nil, memory: nil) == nil)
    }

    // MARK: CUDA_VISIBLE_DEVICES

    static let machine = FakeNVML.sevenSliceScenario + """

        device name=NVIDIA_H100_80GB_HBM3 uuid=GPU-b0b0b0b0-1111-2222-3333-444444444444 total=80GiB used=0
        device name=NVIDIA_L4 uuid=GPU-b0b0b0b0-9999-2222-3333-444444444444 total=24GiB used=4GiB
        """

    @Test("parsing: indices, UUIDs, MIG UUIDs, the old MIG form, and where CUDA stops")
    func parsing() {
        #expect(CUDAVisibleDevices("0, 2").entries == [.index(0), .index(2)])
        #expect(CUDAVisibleDevices("GPU-b0b0").entries == [.gpuUUID("GPU-b0b0")])
        #expect(CUDAVisibleDevices("MIG-5c0b").entries == [.migUUID("MIG-5c0b")])
        #expect(CUDAVisibleDevices("MIG-GPU-a100/7/0").entries == [.migInstance(gpuUUID: "GPU-a100", gpuInstanceID: 7, computeInstanceID: 0)])
        let stopped = CUDAVisibleDevices("1,abc,0")
        #expect(stopped.entries == [.index(1)] && stopped.unparsed == "abc")
        for none in ["", "-1", "NoDevFiles"] {
            #expect(CUDAVisibleDevices(none).hidesEveryGPU && CUDAVisibleDevices(none).unparsed == nil, "\(none)")
        }
    }

    @Test("indices pick whole GPUs in the job's order; a GPU in MIG mode gives its first slice")
    func indices() throws {
        let (inventory, _) = try read(Self.machine, visible: "2,1")
        let selection = inventory.selection
        #expect(selection.isRestricted && selection.variable == "2,1")
        #expect(selection.devices.map(\.gpuIndex) == [2, 1])
        #expect(selection.devices.map(\.cudaDevice) == [0, 1])
        #expect(selection.devices[0].memory?.free == .gibibytes(20))
        #expect(selection.notes.isEmpty)
        let mig = try read(Self.machine, visible: "0").inventory.selection
        #expect(mig.devices.count == 1)
        #expect(mig.devices[0].migDevice?.gpuInstanceID == 7)
        #expect(mig.devices[0].memory?.total == .gibibytes(10))
        #expect(mig.notes.contains { $0.contains("MIG mode") })
        // An index past the last GPU ends the list there.
        let past = try read(Self.machine, visible: "1,9,2").inventory.selection
        #expect(past.devices.map(\.gpuIndex) == [1])
        #expect(past.notes.contains { $0.contains("index 9 names no GPU") })
    }

    @Test("a GPU UUID or its prefix, and a MIG UUID, pick that GPU or that slice with its memory")
    func uuids() throws {
        let (inventory, _) = try read(Self.machine)
        let gpu = inventory.selection(cudaVisibleDevices: "GPU-b0b0b0b0-99")
        #expect(gpu.devices.map(\.gpuIndex) == [2])
        #expect(gpu.devices.first?.migDevice == nil)
        let slice = inventory.selection(cudaVisibleDevices: "MIG-5c0b0000-0000-0000-0000-000000000003")
        let device = try #require(slice.devices.first)
        #expect(slice.devices.count == 1)
        #expect(device.gpuIndex == 0 && device.cudaDevice == 0)
        #expect(device.migDevice?.gpuInstanceID == 10)
        #expect(device.memory?.total == .gibibytes(10) && device.memory?.free == .gibibytes(10))
        #expect(device.name == "NVIDIA A100-SXM4-80GB MIG 1g.10gb")
        #expect(device.label == "GPU0 MIG 1g.10gb (GI 10, CI 0)")
        let old = inventory.selection(cudaVisibleDevices: "MIG-GPU-a100a100-0000-0000-0000-000000000000/8/0")
        #expect(old.devices.first?.migDevice?.uuid == "MIG-5c0b0000-0000-0000-0000-000000000001")
        // A process sees one MIG device.
        let two = inventory.selection(cudaVisibleDevices: "MIG-5c0b0000-0000-0000-0000-000000000001,MIG-5c0b0000-0000-0000-0000-000000000002")
        #expect(two.devices.count == 1)
        #expect(two.notes.contains { $0.contains("one MIG device at most") })
    }

    @Test("a UUID that matches nothing, an ambiguous prefix and an empty value leave a clear note")
    func unmatched() throws {
        let (inventory, _) = try read(Self.machine)
        let none = inventory.selection(cudaVisibleDevices: "GPU-deadbeef")
        #expect(none.devices.isEmpty)
        #expect(none.notes.contains { $0 == "CUDA_VISIBLE_DEVICES: GPU-deadbeef matches no GPU's UUID; CUDA ignores it and every entry after it" })
        #expect(none.notes.contains { $0.contains("leaves the job no GPU") })
        let ambiguous = inventory.selection(cudaVisibleDevices: "GPU-b0b0")
        #expect(ambiguous.devices.isEmpty && ambiguous.notes.contains { $0.contains("GPU-b0b0 matches 2 GPUs' UUIDs") })
        for empty in ["", "-1", "NoDevFiles"] {
            let selection = inventory.selection(cudaVisibleDevices: empty)
            #expect(selection.devices.isEmpty && selection.isRestricted)
            #expect(selection.notes == ["CUDA_VISIBLE_DEVICES=\"\(empty)\" gives the job no GPU"])
        }
        let unset = inventory.selection(cudaVisibleDevices: nil)
        #expect(!unset.isRestricted)
        #expect(unset.devices.map(\.gpuIndex) == [0, 1, 2])
        #expect(unset.devices[0].memory?.total == .gibibytes(80))
        #expect(unset.notes.count == 1)
    }
}
