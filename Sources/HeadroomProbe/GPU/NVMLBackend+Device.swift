internal import CHeadroomGPU

extension NVMLBackend {
    /// Reads every field of device `index`, each on its own.
    func device(at index: UInt32, nvml: NVMLLibrary) -> GPUDevice {
        var device = GPUDevice(index: Int(index))
        var handle: hr_nvmlDevice_t?
        let code = nvml.handleByIndex(index, &handle)
        guard code == HR_NVML_SUCCESS, let handle else {
            device.issues.append(GPUIssue(field: .device, reason: nvml.describe(code)))
            return device
        }
        func note(_ field: GPUIssue.Field, _ code: hr_nvmlReturn_t) {
            device.issues.append(GPUIssue(field: field, reason: nvml.describe(code)))
        }
        func missing(_ field: GPUIssue.Field, _ symbol: String) {
            device.issues.append(GPUIssue(field: field, reason: "the driver's NVML has no \(symbol)"))
        }

        for (field, fn, capacity) in [(GPUIssue.Field.name, nvml.name, HR_NVML_DEVICE_NAME_BUFFER_SIZE),
                                      (.uuid, nvml.uuid, HR_NVML_DEVICE_UUID_BUFFER_SIZE)] {
            guard let fn else { missing(field, field == .name ? "nvmlDeviceGetName" : "nvmlDeviceGetUUID"); continue }
            let result = NVMLBackend.string(capacity: Int(capacity)) { fn(handle, $0, $1) }
            if let value = result.value {
                if field == .name { device.name = value } else { device.uuid = value }
            } else {
                note(field, result.code)
            }
        }

        device.pciBusID = NVMLBackend.pciBusID(handle, nvml: nvml)
        readMemory(handle, nvml: nvml, into: &device)

        if let fn = nvml.utilization {
            var rates = hr_nvmlUtilization_t()
            let code = fn(handle, &rates)
            if code == HR_NVML_SUCCESS {
                device.utilization = GPUUtilization(gpuPercent: Int(rates.gpu), memoryPercent: Int(rates.memory))
            } else { note(.utilization, code) }
        } else { missing(.utilization, "nvmlDeviceGetUtilizationRates") }

        if let fn = nvml.temperature {
            var celsius: UInt32 = 0
            let code = fn(handle, Int32(HR_NVML_TEMPERATURE_GPU), &celsius)
            if code == HR_NVML_SUCCESS { device.temperatureCelsius = Int(celsius) } else { note(.temperature, code) }
        } else { missing(.temperature, "nvmlDeviceGetTemperature") }

        for (field, fn) in [(GPUIssue.Field.power, nvml.powerUsage), (.powerLimit, nvml.powerLimit)] {
            guard let fn else { continue }
            var milliwatts: UInt32 = 0
            let code = fn(handle, &milliwatts)
            guard code == HR_NVML_SUCCESS else { note(field, code); continue }
            if field == .power { device.powerWatts = Double(milliwatts) / 1000 } else { device.powerLimitWatts = Double(milliwatts) / 1000 }
        }

        if let fn = nvml.eccMode {
            var current: Int32 = 0
            var pending: Int32 = 0
            let code = fn(handle, &current, &pending)
            if code == HR_NVML_SUCCESS { device.eccEnabled = current != 0 }
            // NOT_SUPPORTED is the normal answer on consumer boards: no ECC, nothing to report.
            else if code != HR_NVML_ERROR_NOT_SUPPORTED { note(.ecc, code) }
        }

        // Only for matching device files (GPUAttributor): a missing minor number is no issue of its own.
        if let fn = nvml.minorNumber {
            var minor: UInt32 = 0
            if fn(handle, &minor) == HR_NVML_SUCCESS, minor < 1 << 20 { device.minorNumber = Int(minor) }
        }

        readProcesses(handle, nvml: nvml, into: &device)
        device.mig = readMIG(handle, nvml: nvml)
        return device
    }

    /// The PCI bus ID as DCGM labels it (`00000000:3B:00.0`), or `nil` where the driver
    /// cannot say. The corresponding NVML function is `nvmlDeviceGetPciInfo_v3`.
    static func pciBusID(_ handle: hr_nvmlDevice_t, nvml: NVMLLibrary) -> String? {
        guard let fn = nvml.pciInfo else { return nil }
        var info = hr_nvmlPciInfo_t()
        guard fn(handle, &info) == HR_NVML_SUCCESS else { return nil }
        let text = withUnsafeBytes(of: info.busId) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return text.isEmpty ? nil : text
    }

    /// `nvmlDeviceGetMemoryInfo_v2` with reserved memory apart, or the v1 query where v2 is missing.
    /// `NOT_SUPPORTED` means the GPU has no memory of its own: unified memory.
    func readMemory(_ handle: hr_nvmlDevice_t, nvml: NVMLLibrary, into device: inout GPUDevice) {
        var code: hr_nvmlReturn_t = HR_NVML_ERROR_FUNCTION_NOT_FOUND
        if let fn = nvml.memoryV2 {
            var memory = hr_nvmlMemory_v2_t()
            memory.version = hr_nvmlMemory_v2_version()
            code = fn(handle, &memory)
            if code == HR_NVML_SUCCESS {
                device.memory = GPUMemory(total: ByteCount(clamping: memory.total), reserved: ByteCount(clamping: memory.reserved),
                                          used: ByteCount(clamping: memory.used), free: ByteCount(clamping: memory.free))
                return
            }
        }
        if code != HR_NVML_ERROR_NOT_SUPPORTED, let fn = nvml.memoryV1 {
            var memory = hr_nvmlMemory_t()
            code = fn(handle, &memory)
            if code == HR_NVML_SUCCESS {
                device.memory = GPUMemory(total: ByteCount(clamping: memory.total), reserved: nil,
                                          used: ByteCount(clamping: memory.used), free: ByteCount(clamping: memory.free))
                return
            }
        }
        if code == HR_NVML_ERROR_NOT_SUPPORTED {
            device.isUnifiedMemory = true
            device.issues.append(GPUIssue(field: .memory, reason: "\(nvml.describe(code)): the GPU shares host memory (unified memory); host RAM is its budget"))
        } else if code == HR_NVML_ERROR_FUNCTION_NOT_FOUND {
            device.issues.append(GPUIssue(field: .memory, reason: "the driver's NVML has no nvmlDeviceGetMemoryInfo"))
        } else {
            device.issues.append(GPUIssue(field: .memory, reason: nvml.describe(code)))
        }
    }
}
