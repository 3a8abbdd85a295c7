internal import CHeadroomGPU

extension NVMLBackend {
    /// The largest process list believed: the count comes from the driver.
    static let maxProcesses: UInt32 = 1 << 16
    /// NVML_VALUE_NOT_AVAILABLE: the driver will not say how much memory a process holds.
    static let valueNotAvailable = UInt64.max

    /// Compute and graphics processes, merged by PID (a process can be both).
    func readProcesses(_ handle: hr_nvmlDevice_t, nvml: NVMLLibrary, into device: inout GPUDevice) {
        var byPID: [Int32: GPUProcess] = [:]
        var order: [Int32] = []
        var anyRead = false
        for kind in [GPUProcess.Kind.compute, .graphics] {
            guard let query = nvml.processQueries[kind] else { continue }
            switch processes(of: kind, query: query, handle: handle) {
            case .success(let list):
                anyRead = true
                for process in list where byPID[process.pid] == nil {
                    byPID[process.pid] = process
                    order.append(process.pid)
                }
            case .failure(let code):
                device.issues.append(GPUIssue(field: kind == .compute ? .computeProcesses : .graphicsProcesses, reason: nvml.describe(code.code)))
            }
        }
        if anyRead { device.processes = order.compactMap { byPID[$0] } }
        else if nvml.processQueries.isEmpty {
            device.issues.append(GPUIssue(field: .processes, reason: "the driver's NVML has no nvmlDeviceGetComputeRunningProcesses"))
        }
    }

    /// The count-then-fill dance: ask with no buffer for the count, then fill a
    /// buffer with room to spare; if processes appeared in between
    /// (`INSUFFICIENT_SIZE` again), grow and retry a few times.
    private func processes(of kind: GPUProcess.Kind, query: NVMLLibrary.ProcessQuery, handle: hr_nvmlDevice_t)
        -> Result<[GPUProcess], NVMLCode> {
        var count: UInt32 = 0
        var code = call(query, handle, &count, capacity: 0).code
        if code == HR_NVML_SUCCESS { return .success([]) }
        for _ in 0..<4 {
            guard code == HR_NVML_ERROR_INSUFFICIENT_SIZE else { return .failure(NVMLCode(code)) }
            let capacity = min(count, NVMLBackend.maxProcesses - 8) + 8
            count = capacity
            let result = call(query, handle, &count, capacity: Int(capacity))
            code = result.code
            if code == HR_NVML_SUCCESS {
                return .success(result.entries.prefix(Int(min(count, capacity))).map { pid, used in
                    GPUProcess(pid: Int32(bitPattern: pid),
                               usedMemory: used == NVMLBackend.valueNotAvailable ? nil : ByteCount(clamping: used),
                               kind: kind)
                })
            }
        }
        return .failure(NVMLCode(code))
    }

    private func call(_ query: NVMLLibrary.ProcessQuery, _ handle: hr_nvmlDevice_t, _ count: inout UInt32, capacity: Int)
        -> (code: hr_nvmlReturn_t, entries: [(UInt32, UInt64)]) {
        switch query {
        case .v2(let fn):
            guard capacity > 0 else { return (fn(handle, &count, nil), []) }
            // Room for `capacity` entries of 32 bytes, not 24: a driver that fills the longer
            // nvmlProcessInfo_v3_t (535.43 to 535.86, see NVMLLibrary.avoidWideProcessInfo)
            // and is not recognized still cannot write past the buffer.
            var infos = [hr_nvmlProcessInfo_v2_t](repeating: hr_nvmlProcessInfo_v2_t(), count: capacity + (capacity + 2) / 3)
            let code = fn(handle, &count, &infos)
            return (code, infos.prefix(capacity).map { ($0.pid, $0.usedGpuMemory) })
        case .v1(let fn):
            guard capacity > 0 else { return (fn(handle, &count, nil), []) }
            var infos = [hr_nvmlProcessInfo_v1_t](repeating: hr_nvmlProcessInfo_v1_t(), count: capacity)
            let code = fn(handle, &count, &infos)
            return (code, infos.map { ($0.pid, $0.usedGpuMemory) })
        }
    }
}

/// An NVML return code carried as an error.
struct NVMLCode: Error {
    var code: Int32
    init(_ code: Int32) { self.code = code }
}
