import Foundation
import HeadroomProbe
import HeadroomSystemTestKit
import HeadroomTestKit
import Testing

/// The NVML binding against a fake NVML library compiled from C during the run:
/// the real dlopen/dlsym path, real struct layouts, scripted devices and errors.
@Suite("NVMLBackend with a fake NVML library")
struct NVMLBackendTests {
    /// Loads a fresh fake library playing `scenario` and reads its inventory.
    func read(_ scenario: String, omitting: Set<FakeNVML.Omission> = [],
              sourceLocation: SourceLocation = #_sourceLocation) throws -> (inventory: GPUInventory, path: String) {
        let path = try FakeNVML.library(scenario: scenario, omitting: omitting)
        let inventory = NVMLBackend(libraryPath: path).inventory()
        #expect(FakeNVML.scenarioProblem(in: path) == nil, "the fake did not understand its scenario", sourceLocation: sourceLocation)
        return (inventory, path)
    }

    func calls(_ symbol: String, _ path: String) -> Int? {
        FakeNVML.callCount(of: symbol, in: path)
    }

    /// Device fields that make every query succeed, for tests about something else
    /// (a key given again later on the line wins).
    static let plain = "total=1GiB util=0,0 temp=30 power_mw=1000 limit_mw=2000"

    static let twoGPUs = """
        driver 550.54.15
        cuda 12040
        device name=NVIDIA_H100_80GB_HBM3 uuid=GPU-5a1c3e2b-7d4f-4e6a-9b1c-000000000001 pci=00000000:3B:00.0 total=80GiB reserved=512MiB used=10GiB util=45,30 temp=40 power_mw=120500 limit_mw=700000 ecc=1
        proc pid=4242 used=8GiB
        proc pid=4243 used=2GiB
        gproc pid=4243 used=2GiB   # both compute and graphics: listed once
        gproc pid=5000 used=256MiB
        device name=NVIDIA_A10G uuid=GPU-5a1c3e2b-7d4f-4e6a-9b1c-000000000002 total=24GiB reserved=300MiB used=0 free=23000MiB util=0,1 temp=31 power_mw=60000 limit_mw=300000 ecc=0
        """

    @Test("every field of several devices, reserved memory apart")
    func severalDevices() throws {
        let (inventory, path) = try read(Self.twoGPUs)
        #expect(inventory.backend == "nvml")
        #expect(inventory.isAvailable)
        #expect(inventory.library == path)
        #expect(inventory.driverVersion == "550.54.15")
        #expect(inventory.cudaDriverVersion == "12.4")
        #expect(inventory.issues.isEmpty)
        try #require(inventory.devices.count == 2)

        let h100 = inventory.devices[0]
        #expect(h100.index == 0)
        #expect(h100.name == "NVIDIA H100 80GB HBM3")
        #expect(h100.uuid == "GPU-5a1c3e2b-7d4f-4e6a-9b1c-000000000001")
        // nvmlDeviceGetPciInfo_v3's busId, as the DCGM exporter's pci_bus_id label spells it.
        #expect(h100.pciBusID == "00000000:3B:00.0")
        #expect(inventory.devices[1].pciBusID == "00000000:02:00.0")
        #expect(h100.memory == GPUMemory(total: .gibibytes(80), reserved: .mebibytes(512), used: .gibibytes(10),
                                         free: .gibibytes(80) - .mebibytes(512) - .gibibytes(10)))
        #expect(!h100.isUnifiedMemory)
        #expect(h100.utilization == GPUUtilization(gpuPercent: 45, memoryPercent: 30))
        #expect(h100.temperatureCelsius == 40)
        #expect(h100.powerWatts == 120.5)
        #expect(h100.powerLimitWatts == 700)
        #expect(h100.eccEnabled == true)
        #expect(h100.processes == [
            GPUProcess(pid: 4242, usedMemory: .gibibytes(8), kind: .compute),
            GPUProcess(pid: 4243, usedMemory: .gibibytes(2), kind: .compute),
            GPUProcess(pid: 5000, usedMemory: .mebibytes(256), kind: .graphics),
        ])
        #expect(h100.issues.isEmpty)

        let a10 = inventory.devices[1]
        #expect(a10.index == 1)
        #expect(a10.name == "NVIDIA A10G")
        #expect(a10.memory == GPUMemory(total: .gibibytes(24), reserved: .mebibytes(300), used: .zero, free: .mebibytes(23000)))
        #expect(a10.utilization == GPUUtilization(gpuPercent: 0, memoryPercent: 1))
        #expect(a10.temperatureCelsius == 31)
        #expect(a10.powerWatts == 60)
        #expect(a10.powerLimitWatts == 300)
        #expect(a10.eccEnabled == false)
        #expect(a10.processes == [])
        #expect(a10.issues.isEmpty)

        // The newest forms were used, and NVML was initialized once.
        #expect(calls("nvmlInit_v2", path) == 1)
        #expect(calls("nvmlDeviceGetMemoryInfo_v2", path) == 2)
        #expect(calls("nvmlDeviceGetMemoryInfo", path) == 0)
        #expect(calls("nvmlDeviceGetComputeRunningProcesses_v3", path) == 3)  // count+fill on the H100, count on the A10G
        #expect(calls("nvmlSystemGetCudaDriverVersion_v2", path) == 1)
    }

    @Test("the CUDA version reads as major.minor", arguments: [(12040, "12.4"), (11080, "11.8"), (13000, "13.0")])
    func cudaVersion(code: Int, text: String) throws {
        let (inventory, _) = try read("cuda \(code)\n")
        #expect(inventory.cudaDriverVersion == text)
        #expect(inventory.devices.isEmpty)
    }

    @Test("a field that fails leaves the others intact")
    func perFieldErrors() throws {
        let (inventory, _) = try read("""
            device name=Tesla_T4 total=15GiB reserved=100MiB used=1GiB util=5,6 temp=50 temp_error=3 util_error=999 power_mw=70000 limit_mw=70000
            proc pid=77 used=1GiB
            """)
        let device = try #require(inventory.devices.first)
        #expect(device.temperatureCelsius == nil)
        #expect(device.utilization == nil)
        #expect(device.issues == [
            GPUIssue(field: .utilization, reason: "Unknown Error (NVML error 999)"),
            GPUIssue(field: .temperature, reason: "Not Supported (NVML error 3)"),
        ])
        #expect(device.name == "Tesla T4")
        #expect(device.memory?.used == .gibibytes(1))
        #expect(device.powerWatts == 70)
        #expect(device.powerLimitWatts == 70)
        // No ECC on the board is the normal answer, not an issue.
        #expect(device.eccEnabled == nil)
        #expect(device.processes == [GPUProcess(pid: 77, usedMemory: .gibibytes(1), kind: .compute)])
    }

    @Test("no nvmlDeviceGetMemoryInfo_v2: the v1 query, with reserved counted in used")
    func memoryWithoutV2() throws {
        let (inventory, path) = try read("device \(Self.plain) total=16GiB reserved=256MiB used=1GiB\n", omitting: [.memoryV2])
        let device = try #require(inventory.devices.first)
        #expect(device.memory == GPUMemory(total: .gibibytes(16), reserved: nil, used: .gibibytes(1) + .mebibytes(256),
                                           free: .gibibytes(15) - .mebibytes(256)))
        #expect(device.issues.isEmpty)
        #expect(calls("nvmlDeviceGetMemoryInfo", path) == 1)
    }

    @Test("nvmlDeviceGetMemoryInfo_v2 failing falls back to the v1 query")
    func memoryV2Failing() throws {
        let (inventory, path) = try read("device \(Self.plain) total=16GiB reserved=256MiB used=1GiB memory_v2_error=25\n")
        let device = try #require(inventory.devices.first)
        #expect(device.memory == GPUMemory(total: .gibibytes(16), reserved: nil, used: .gibibytes(1) + .mebibytes(256),
                                           free: .gibibytes(15) - .mebibytes(256)))
        #expect(device.issues.isEmpty)
        #expect(calls("nvmlDeviceGetMemoryInfo_v2", path) == 1)
        #expect(calls("nvmlDeviceGetMemoryInfo", path) == 1)
    }

    @Test("memory NOT_SUPPORTED means unified memory", arguments: ["memory_error=3", "util=1,1"])
    func unifiedMemory(fields: String) throws {
        // Either an explicit NOT_SUPPORTED, or a device the fake gives no memory to.
        let (inventory, path) = try read("device name=NVIDIA_GB10 \(fields)\n")
        let device = try #require(inventory.devices.first)
        #expect(device.isUnifiedMemory)
        #expect(device.memory == nil)
        let issue = try #require(device.issues.first { $0.field == .memory })
        #expect(issue.reason.hasPrefix("Not Supported (NVML error 3)"))
        #expect(issue.reason.contains("unified memory"))
        // NOT_SUPPORTED from v2 is believed: the v1 query is not asked the same question.
        #expect(calls("nvmlDeviceGetMemoryInfo", path) == 0)
    }

    @Test("no _v3 process queries: the _v2 ones answer")
    func processesWithoutV3() throws {
        let (inventory, path) = try read("""
            device
            proc pid=10 used=1MiB
            proc pid=11 used=2MiB
            gproc pid=12 used=3MiB
            """, omitting: [.processesV3])
        #expect(inventory.devices.first?.processes == [
            GPUProcess(pid: 10, usedMemory: .mebibytes(1), kind: .compute),
            GPUProcess(pid: 11, usedMemory: .mebibytes(2), kind: .compute),
            GPUProcess(pid: 12, usedMemory: .mebibytes(3), kind: .graphics),
        ])
        #expect(calls("nvmlDeviceGetComputeRunningProcesses_v3", path) == 0)
        #expect(calls("nvmlDeviceGetComputeRunningProcesses_v2", path) == 2)
        #expect(calls("nvmlDeviceGetGraphicsRunningProcesses_v2", path) == 2)
    }

    @Test("no _v2 or _v3 process queries: the v1 struct is read with its own stride")
    func processesV1Layout() throws {
        let (inventory, path) = try read("""
            device \(Self.plain)
            proc pid=101 used=1GiB
            proc pid=102 used=na
            proc pid=4000000 used=3MiB
            proc pid=104 used=17
            gproc pid=200 used=5
            gproc pid=101 used=1GiB
            """, omitting: [.processesV2])
        #expect(inventory.devices.first?.processes == [
            GPUProcess(pid: 101, usedMemory: .gibibytes(1), kind: .compute),
            GPUProcess(pid: 102, usedMemory: nil, kind: .compute),
            GPUProcess(pid: 4_000_000, usedMemory: .mebibytes(3), kind: .compute),
            GPUProcess(pid: 104, usedMemory: 17, kind: .compute),
            GPUProcess(pid: 200, usedMemory: 5, kind: .graphics),
        ])
        #expect(inventory.devices.first?.issues == [])
        #expect(calls("nvmlDeviceGetComputeRunningProcesses", path) == 2)
        #expect(calls("nvmlDeviceGetGraphicsRunningProcesses", path) == 2)
    }

    @Test("processes that appear between the count and the fill are retried for",
          arguments: [(grow: 2, fillCalls: 1), (grow: 12, fillCalls: 2)],
          [Set<FakeNVML.Omission>(), [.processesV2]])
    func growingProcessList(growth: (grow: Int, fillCalls: Int), omitting: Set<FakeNVML.Omission>) throws {
        // One process is there at the count; `grow` more appear by the fill. Two fit in
        // the binding's spare room; twelve make the fill fail with INSUFFICIENT_SIZE.
        let processes = (0...growth.grow).map { "proc pid=\(1000 + $0) used=\($0 + 1)MiB" }.joined(separator: "\n")
        let (inventory, path) = try read("device \(Self.plain) grow_processes=\(growth.grow)\n\(processes)\n", omitting: omitting)
        let device = try #require(inventory.devices.first)
        let expected: [GPUProcess] = (0...growth.grow).map { (index: Int) -> GPUProcess in
            GPUProcess(pid: Int32(1000 + index), usedMemory: .mebibytes(Int64(index + 1)), kind: .compute)
        }
        #expect(device.processes == expected)
        #expect(device.issues.isEmpty)
        let symbol = omitting.isEmpty ? "nvmlDeviceGetComputeRunningProcesses_v3" : "nvmlDeviceGetComputeRunningProcesses"
        #expect(calls(symbol, path) == 1 + growth.fillCalls)
    }

    @Test("drivers 535.43 to 535.86, whose _v3 fills a 32-byte struct, are read through _v2",
          arguments: [("535.43.02", 32, true), ("535.54.03", 32, true), ("535.86.05", 32, true),
                      ("530.41.03", 24, false), ("535.104.05", 24, false), ("550.54.15", 24, false)])
    func wideProcessInfoDrivers(driver: String, v3Bytes: Int, avoidsV3: Bool) throws {
        let (inventory, path) = try read("""
            driver \(driver)
            process_info_v3_bytes \(v3Bytes)
            device \(Self.plain)
            proc pid=31 used=1MiB
            proc pid=32 used=2MiB
            proc pid=33 used=3MiB
            gproc pid=34 used=4MiB
            """)
        #expect(inventory.devices.first?.processes == [
            GPUProcess(pid: 31, usedMemory: .mebibytes(1), kind: .compute),
            GPUProcess(pid: 32, usedMemory: .mebibytes(2), kind: .compute),
            GPUProcess(pid: 33, usedMemory: .mebibytes(3), kind: .compute),
            GPUProcess(pid: 34, usedMemory: .mebibytes(4), kind: .graphics),
        ])
        #expect(calls("nvmlDeviceGetComputeRunningProcesses_v3", path) == (avoidsV3 ? 0 : 2))
        #expect(calls("nvmlDeviceGetComputeRunningProcesses_v2", path) == (avoidsV3 ? 2 : 0))
        #expect(calls("nvmlDeviceGetGraphicsRunningProcesses_v2", path) == (avoidsV3 ? 2 : 0))
    }

    @Test("a driver not known to fill the 32-byte struct, that does, cannot write past the buffer")
    func wideProcessInfoUnknownDriver() throws {
        // 40 entries of 32 bytes overrun 48 entries of 24 (the count plus the binding's
        // spare room) unless the buffer has room for the longer stride.
        let processes = (0..<40).map { "proc pid=\(500 + $0) used=\($0)MiB" }.joined(separator: "\n")
        let (inventory, _) = try read("driver 999.1\nprocess_info_v3_bytes 32\ndevice \(Self.plain)\n\(processes)\n")
        // Read at the wrong stride the entries after the first are garbage (and merge by PID),
        // but the read finishes, the heap intact, and the first entry is right.
        let read = try #require(inventory.devices.first?.processes)
        #expect(read.first == GPUProcess(pid: 500, usedMemory: .zero, kind: .compute))
        #expect(read.count <= 40)
    }

    @Test("a process whose memory the driver will not give has none")
    func processMemoryNotAvailable() throws {
        let (inventory, _) = try read("device\nproc pid=9 used=na\nproc pid=10 used=0\n")
        #expect(inventory.devices.first?.processes == [
            GPUProcess(pid: 9, usedMemory: nil, kind: .compute),
            GPUProcess(pid: 10, usedMemory: .zero, kind: .compute),
        ])
    }

    @Test("a process query that fails is an issue; the other kind still reads")
    func processQueryError() throws {
        let (inventory, _) = try read("device \(Self.plain) proc_error=4\nproc pid=1 used=1\ngproc pid=2 used=2\n")
        let device = try #require(inventory.devices.first)
        #expect(device.processes == [GPUProcess(pid: 2, usedMemory: 2, kind: .graphics)])
        #expect(device.issues == [GPUIssue(field: .computeProcesses, reason: "Insufficient Permissions (NVML error 4)")])
    }

    @Test("process lists of any size and growth read back exactly, through every struct version")
    func processListsProperty() throws {
        var random = SeededGenerator(seed: 0x4E56_4D4C)
        let variants: [Set<FakeNVML.Omission>] = [[], [.processesV3], [.processesV2]]
        for round in 0..<24 {
            let omitting = variants[round % variants.count]
            let compute = (0..<Int.random(in: 0...40, using: &random)).map { index in
                (pid: UInt32(100 + index * 3), used: Bool.random(using: &random) ? nil : UInt64.random(in: 0...(1 << 40), using: &random))
            }
            // Graphics PIDs overlap some compute ones, which are listed once, as compute.
            let graphics = (0..<Int.random(in: 0...12, using: &random)).map { index in
                (pid: UInt32(100 + index * 5), used: UInt64?.some(UInt64(index) << 20))
            }
            let grow = compute.isEmpty ? 0 : Int.random(in: 0..<compute.count, using: &random)
            func lines(_ keyword: String, _ list: [(pid: UInt32, used: UInt64?)]) -> [String] {
                list.map { "\(keyword) pid=\($0.pid) used=\($0.used.map(String.init) ?? "na")" }
            }
            let scenario = (["device \(Self.plain) grow_processes=\(grow)"] + lines("proc", compute) + lines("gproc", graphics)).joined(separator: "\n")
            let (inventory, _) = try read(scenario, omitting: omitting)

            var expected = compute.map { GPUProcess(pid: Int32($0.pid), usedMemory: $0.used.map(ByteCount.init(clamping:)), kind: .compute) }
            let computePIDs = Set(compute.map(\.pid))
            expected += graphics.filter { !computePIDs.contains($0.pid) }.map {
                GPUProcess(pid: Int32($0.pid), usedMemory: $0.used.map(ByteCount.init(clamping:)), kind: .graphics)
            }
            #expect(inventory.devices.first?.processes == expected, "round \(round): \(scenario)")
            #expect(inventory.devices.first?.issues == [], "round \(round)")
        }
    }

    @Test("a lost GPU has an issue; the others read normally")
    func lostGPU() throws {
        let (inventory, _) = try read("""
            device name=GPU_A total=8GiB
            device name=GPU_B total=8GiB handle_error=15
            device name=GPU_C total=8GiB
            """)
        try #require(inventory.devices.count == 3)
        #expect(inventory.isAvailable)
        #expect(inventory.devices[1].issues == [GPUIssue(field: .device, reason: "GPU is lost (NVML error 15)")])
        #expect(inventory.devices[1].name == nil)
        #expect(inventory.devices[1].memory == nil)
        #expect(inventory.devices[0].name == "GPU A")
        #expect(inventory.devices[2].name == "GPU C")
        #expect(inventory.devices[2].index == 2)
        #expect(inventory.devices[2].memory?.total == .gibibytes(8))
    }

    @Test("no temperature function: an issue naming it")
    func temperatureMissing() throws {
        let (inventory, path) = try read("device temp=40 power_mw=1000 limit_mw=2000 util=1,2 total=1GiB\n", omitting: [.temperature])
        let device = try #require(inventory.devices.first)
        #expect(device.temperatureCelsius == nil)
        #expect(device.issues == [GPUIssue(field: .temperature, reason: "the driver's NVML has no nvmlDeviceGetTemperature")])
        #expect(calls("nvmlDeviceGetTemperature", path) == 0)
    }

    @Test("each omission removes exactly its functions", arguments: FakeNVML.Omission.allCases)
    func omissionsRemoveSymbols(omission: FakeNVML.Omission) throws {
        let removed: Set<String> = switch omission {
        case .memoryV2: ["nvmlDeviceGetMemoryInfo_v2"]
        case .processesV3: ["nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetGraphicsRunningProcesses_v3"]
        case .processesV2: ["nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetGraphicsRunningProcesses_v3",
                            "nvmlDeviceGetComputeRunningProcesses_v2", "nvmlDeviceGetGraphicsRunningProcesses_v2"]
        case .temperature: ["nvmlDeviceGetTemperature"]
        case .mig: ["nvmlDeviceGetMigMode", "nvmlDeviceGetMaxMigDeviceCount", "nvmlDeviceGetMigDeviceHandleByIndex",
                    "nvmlDeviceGetGpuInstanceId", "nvmlDeviceGetComputeInstanceId"]
        }
        let path = try FakeNVML.library(scenario: "", omitting: [omission])
        let library = try DynamicLibrary.open(path)
        for symbol in Self.nvmlSymbols {
            let present = library.lookup(symbol, as: UnsafeMutableRawPointer.self) != nil
            #expect(present == !removed.contains(symbol), "\(symbol)")
        }
    }

    @Test("nvmlInit failing makes the backend unavailable, with the reason")
    func initFailure() throws {
        let (inventory, path) = try read("init_error 9\ndevice name=unreachable\n")
        #expect(!inventory.isAvailable)
        #expect(inventory.library == path)
        #expect(inventory.devices.isEmpty)
        #expect(inventory.issues == [GPUIssue(field: .initialize, reason: "nvmlInit failed: Driver Not Loaded (NVML error 9)")])
        #expect(calls("nvmlDeviceGetCount_v2", path) == 0)
    }

    @Test("the device count failing is an inventory issue")
    func deviceCountError() throws {
        let (inventory, _) = try read("count_error 999\ndevice\n")
        #expect(inventory.isAvailable)
        #expect(inventory.devices.isEmpty)
        #expect(inventory.issues == [GPUIssue(field: .deviceCount, reason: "Unknown Error (NVML error 999)")])
    }

    @Test("a library path that does not exist is an issue naming the path")
    func missingLibrary() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)/libnvidia-ml.so.1").path
        let inventory = NVMLBackend(libraryPath: path).inventory()
        #expect(!inventory.isAvailable)
        #expect(inventory.library == path)
        #expect(inventory.devices.isEmpty)
        #expect(inventory.issues.count == 1)
        #expect(inventory.issues.first?.field == .library)
        #expect(inventory.issues.first?.reason.contains(path) == true)
    }

    @Test("a file that is not a library is an issue naming the path")
    func notALibrary() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID().uuidString).so").path
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 11) }).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let inventory = NVMLBackend(libraryPath: path).inventory()
        #expect(!inventory.isAvailable)
        #expect(inventory.issues.count == 1)
        #expect(inventory.issues.first?.field == .library)
        #expect(inventory.issues.first?.reason.contains(path) == true)
    }

    @Test("a real library that is not NVML is an issue naming the missing symbol")
    func notNVML() {
        let inventory = NVMLBackend(libraryPath: "libm.so.6").inventory()
        #expect(!inventory.isAvailable)
        #expect(inventory.issues.count == 1)
        let reason = inventory.issues.first?.reason ?? ""
        #expect(inventory.issues.first?.field == .library)
        #expect(reason.contains("libm.so.6 has no symbol nvmlInit"))
    }

    @Test("the fake survives a scenario it cannot understand, and says where")
    func badScenario() throws {
        let path = try FakeNVML.library(scenario: """
            bogus statement
            proc pid=1 used=1
            device name=Kept total=lots util=1 ecc=2 memory_error=x
            proc pid=oops used=1
            proc pid=7 used=na
            device \(String(repeating: "x", count: 5000))
            """)
        let inventory = NVMLBackend(libraryPath: path).inventory()
        #expect(FakeNVML.scenarioProblem(in: path) == "line 1: unknown statement: bogus")
        #expect(inventory.isAvailable)
        #expect(inventory.devices.count == 1)
        #expect(inventory.devices.first?.name == "Kept")
        #expect(inventory.devices.first?.processes == [GPUProcess(pid: 7, usedMemory: nil, kind: .compute)])
    }

    /// Every NVML function the binding looks up.
    static let nvmlSymbols = [
        "nvmlInit_v2", "nvmlInit", "nvmlShutdown", "nvmlErrorString",
        "nvmlSystemGetDriverVersion", "nvmlSystemGetCudaDriverVersion_v2", "nvmlSystemGetCudaDriverVersion",
        "nvmlDeviceGetCount_v2", "nvmlDeviceGetCount", "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex",
        "nvmlDeviceGetName", "nvmlDeviceGetUUID", "nvmlDeviceGetMemoryInfo", "nvmlDeviceGetMemoryInfo_v2",
        "nvmlDeviceGetUtilizationRates", "nvmlDeviceGetTemperature", "nvmlDeviceGetPowerUsage",
        "nvmlDeviceGetEnforcedPowerLimit", "nvmlDeviceGetEccMode",
        "nvmlDeviceGetComputeRunningProcesses", "nvmlDeviceGetComputeRunningProcesses_v2",
        "nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetGraphicsRunningProcesses",
        "nvmlDeviceGetGraphicsRunningProcesses_v2", "nvmlDeviceGetGraphicsRunningProcesses_v3",
        "nvmlDeviceGetMigMode", "nvmlDeviceGetMaxMigDeviceCount", "nvmlDeviceGetMigDeviceHandleByIndex",
        "nvmlDeviceGetGpuInstanceId", "nvmlDeviceGetComputeInstanceId",
    ]
}
