import Foundation
import HeadroomSystemTestKit
import Testing

/// `headroom diagnose` and `headroom env` on a fake GPU split into seven MIG slices.
@Suite("headroom diagnose with MIG")
struct MIGDiagnoseTests {
    static let sliceUUID = "MIG-5c0b0000-0000-0000-0000-000000000000"

    @Test("--json: the GPU's mig key with seven slices, and the job's device under CUDA_VISIBLE_DEVICES")
    func json() throws {
        let nvml = try FakeNVML.library(scenario: FakeNVML.sevenSliceScenario)
        let result = try CLI.run(["diagnose", "--json"], nvml: nvml, environment: ["CUDA_VISIBLE_DEVICES": Self.sliceUUID])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try CLI.json(result)
        #expect(json.at("gpus.0.mig.enabled") as? Bool == true)
        #expect(json.at("gpus.0.mig.pendingEnabled") as? Bool == true)
        #expect(json.int("gpus.0.mig.maxDeviceCount") == 7)
        #expect((json.at("gpus.0.mig.devices") as? [Any])?.count == 7)
        #expect(json.string("gpus.0.mig.devices.0.profile") == "1g.10gb")
        #expect(json.string("gpus.0.mig.devices.0.uuid") == Self.sliceUUID)
        #expect(json.int("gpus.0.mig.devices.0.gpuInstanceId") == 7)
        #expect(json.int("gpus.0.mig.devices.0.computeInstanceId") == 0)
        #expect(json.int("gpus.0.mig.devices.0.memory.totalBytes") == 10 << 30)
        // Existing keys keep their meaning: the GPU's own memory.
        #expect(json.int("gpus.0.memory.totalBytes") == 80 << 30)
        #expect(json.string("visibleDevices.value") == Self.sliceUUID)
        #expect(json.int("visibleDevices.devices.0.cudaDevice") == 0)
        #expect(json.int("visibleDevices.devices.0.gpuIndex") == 0)
        #expect(json.string("visibleDevices.devices.0.migDevice.uuid") == Self.sliceUUID)
        #expect(json.int("visibleDevices.devices.0.memory.freeBytes") == 8 << 30)
        // The advisor plans for the slice.
        #expect(json.int("recommendations.gpus.0.totalBytes") == 10 << 30)
        #expect(json.int("recommendations.gpus.0.freeBytes") == 8 << 30)
        #expect(json.string("recommendations.gpus.0.migDeviceUUID") == Self.sliceUUID)
    }

    @Test("text: MIG mode, each slice, and the one the job gets marked")
    func text() throws {
        let nvml = try FakeNVML.library(scenario: FakeNVML.sevenSliceScenario)
        let result = try CLI.run(["diagnose"], nvml: nvml, environment: ["CUDA_VISIBLE_DEVICES": Self.sliceUUID])
        #expect(result.status == 0, "\(result.standardError)")
        let output = result.standardOutput
        #expect(output.contains("MIG         on · 7 MIG devices"), "\(output)")
        #expect(output.contains("slice 0"))
        #expect(output.contains("1g.10gb · GI 7 CI 0 · 8.0 GiB free of 10.0 GiB · \(Self.sliceUUID)  [visible to the job]"), "\(output)")
        #expect(output.contains("CUDA_VISIBLE_DEVICES"))
        #expect(output.contains("cuda:0 = GPU0 MIG 1g.10gb (GI 7, CI 0)"))
        #expect(!output.contains("GI 8 CI 0 · 10.0 GiB free of 10.0 GiB · MIG-5c0b0000-0000-0000-0000-000000000001  [visible"))
        #expect(output.contains("GPU0 MIG limit 6.0 GiB (fraction 0.60 of 10.0 GiB)"))
    }

    @Test("an empty CUDA_VISIBLE_DEVICES: no device for the job, no GPU budget, and a note")
    func empty() throws {
        let nvml = try FakeNVML.library(scenario: FakeNVML.sevenSliceScenario)
        let result = try CLI.run(["diagnose", "--json"], nvml: nvml, environment: ["CUDA_VISIBLE_DEVICES": ""])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try CLI.json(result)
        #expect((json.at("visibleDevices.devices") as? [Any])?.isEmpty == true)
        #expect((json.at("recommendations.gpus") as? [Any])?.isEmpty == true)
        #expect((json.at("visibleDevices.notes") as? [String])?.first?.contains("gives the job no GPU") == true)
    }

    @Test("env --format json fits the slice: ONNX Runtime's gpu_mem_limit is within 10 GiB and device_id is 0")
    func env() throws {
        let nvml = try FakeNVML.library(scenario: FakeNVML.sevenSliceScenario)
        let result = try CLI.run(["env", "--format", "json"], nvml: nvml, environment: ["CUDA_VISIBLE_DEVICES": "MIG-5c0b0000-0000-0000-0000-000000000004"])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try CLI.json(result)
        let limit = try #require(json.int("gpuMemoryLimitBytes"), "\(json.keys)")
        #expect(limit > 0 && limit <= 10 << 30)
    }
}
