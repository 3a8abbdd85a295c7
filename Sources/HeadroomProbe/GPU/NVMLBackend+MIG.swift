internal import CHeadroomGPU

extension NVMLBackend {
    /// The most MIG device indices asked about on one GPU: the count comes from the driver.
    static let maxMIGDevices: UInt32 = 64

    /// The GPU's MIG mode and MIG devices, or `nil` where there is no MIG information:
    /// an old driver without `nvmlDeviceGetMigMode`, or a GPU that cannot be split
    /// (`NOT_SUPPORTED`). Other failures are kept in ``MIGState/issues``.
    /// The corresponding NVML functions are `nvmlDeviceGetMigMode`, `nvmlDeviceGetMaxMigDeviceCount`
    /// and `nvmlDeviceGetMigDeviceHandleByIndex`.
    func readMIG(_ handle: hr_nvmlDevice_t, nvml: NVMLLibrary) -> MIGState? {
        guard let functions = nvml.mig else { return nil }
        var current: UInt32 = 0
        var pending: UInt32 = 0
        let code = functions.mode(handle, &current, &pending)
        guard code == HR_NVML_SUCCESS else { return nil }
        var state = MIGState(isEnabled: current == UInt32(HR_NVML_DEVICE_MIG_ENABLE),
                             isPendingEnabled: pending == UInt32(HR_NVML_DEVICE_MIG_ENABLE))
        var limit = UInt32(8)
        if let fn = functions.maxDeviceCount {
            var count: UInt32 = 0
            let code = fn(handle, &count)
            if code == HR_NVML_SUCCESS {
                state.maxDeviceCount = Int(count)
                limit = min(count, NVMLBackend.maxMIGDevices)
            } else {
                state.issues.append("maxDeviceCount: \(nvml.describe(code))")
            }
        } else {
            state.issues.append("maxDeviceCount: the driver's NVML has no nvmlDeviceGetMaxMigDeviceCount")
        }
        guard state.isEnabled else { return state }
        guard let byIndex = functions.deviceHandleByIndex else {
            state.issues.append("devices: the driver's NVML has no nvmlDeviceGetMigDeviceHandleByIndex")
            return state
        }
        // Indices may have holes where an instance was destroyed: NOT_FOUND skips one.
        for index in 0..<limit {
            var migHandle: hr_nvmlDevice_t?
            let code = byIndex(handle, index, &migHandle)
            if code == HR_NVML_ERROR_NOT_FOUND || code == HR_NVML_ERROR_INVALID_ARGUMENT { continue }
            guard code == HR_NVML_SUCCESS, let migHandle else {
                state.issues.append("device \(index): \(nvml.describe(code))")
                continue
            }
            state.devices.append(migDevice(migHandle, index: Int(index), nvml: nvml, functions: functions))
        }
        return state
    }

    /// One MIG device's UUID, name, instance IDs and memory, each read on its own.
    private func migDevice(_ handle: hr_nvmlDevice_t, index: Int, nvml: NVMLLibrary,
                           functions: NVMLLibrary.MIGFunctions) -> MIGDevice {
        var device = MIGDevice(index: index)
        for (isName, fn, capacity) in [(true, nvml.name, HR_NVML_DEVICE_NAME_BUFFER_SIZE),
                                       (false, nvml.uuid, HR_NVML_DEVICE_UUID_BUFFER_SIZE)] {
            guard let fn else { continue }
            let result = NVMLBackend.string(capacity: Int(capacity)) { fn(handle, $0, $1) }
            if let value = result.value {
                if isName { device.name = value } else { device.uuid = value }
            } else {
                device.issues.append("\(isName ? "name" : "uuid"): \(nvml.describe(result.code))")
            }
        }
        for (isGPUInstance, fn) in [(true, functions.gpuInstanceID), (false, functions.computeInstanceID)] {
            let label = isGPUInstance ? "gpuInstanceId" : "computeInstanceId"
            guard let fn else {
                device.issues.append("\(label): the driver's NVML has no nvmlDeviceGet\(isGPUInstance ? "Gpu" : "Compute")InstanceId")
                continue
            }
            var id: UInt32 = 0
            let code = fn(handle, &id)
            if code == HR_NVML_SUCCESS {
                if isGPUInstance { device.gpuInstanceID = Int(id) } else { device.computeInstanceID = Int(id) }
            } else {
                device.issues.append("\(label): \(nvml.describe(code))")
            }
        }
        var whole = GPUDevice(index: index)
        readMemory(handle, nvml: nvml, into: &whole)
        device.memory = whole.memory
        if whole.memory == nil { device.issues.append(contentsOf: whole.issues.map(\.description)) }
        device.profile = MIGDevice.profile(name: device.name, memory: device.memory)
        return device
    }
}
