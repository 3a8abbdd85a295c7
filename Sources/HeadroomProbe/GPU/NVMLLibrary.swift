internal import CHeadroomGPU

/// NVML's functions, looked up one by one in `libnvidia-ml.so.1`.
///
/// Required functions throw when missing; optional ones are `nil` and become
/// capability checks (an older driver without `nvmlDeviceGetMemoryInfo_v2`
/// falls back to `nvmlDeviceGetMemoryInfo`).
struct NVMLLibrary: @unchecked Sendable {
    // @unchecked: every stored property is a `let` C function pointer into a library
    // that is never unloaded (DynamicLibrary), so sharing it across threads is safe.
    let library: DynamicLibrary
    let initialize: hr_nvmlInit_fn
    let errorString: hr_nvmlErrorString_fn
    let deviceCount: hr_nvmlDeviceGetCount_fn
    let handleByIndex: hr_nvmlDeviceGetHandleByIndex_fn
    let driverVersion: hr_nvmlSystemGetString_fn?
    let cudaDriverVersion: hr_nvmlSystemGetCudaDriverVersion_fn?
    let name: hr_nvmlDeviceGetString_fn?
    let uuid: hr_nvmlDeviceGetString_fn?
    let memoryV2: hr_nvmlDeviceGetMemoryInfo_v2_fn?
    let memoryV1: hr_nvmlDeviceGetMemoryInfo_fn?
    let utilization: hr_nvmlDeviceGetUtilizationRates_fn?
    let temperature: hr_nvmlDeviceGetTemperature_fn?
    let powerUsage: hr_nvmlDeviceGetUInt_fn?
    let powerLimit: hr_nvmlDeviceGetUInt_fn?
    let eccMode: hr_nvmlDeviceGetEccMode_fn?
    /// Per-process queries, newest first: `_v3` and `_v2` fill the same struct, v1 a shorter one.
    let processQueries: [GPUProcess.Kind: ProcessQuery]

    enum ProcessQuery {
        case v2(hr_nvmlDeviceGetProcesses_v2_fn)
        case v1(hr_nvmlDeviceGetProcesses_v1_fn)
    }

    /// The environment variable that names another NVML library to load.
    static let pathVariable = "HEADROOM_NVML_LIBRARY"
    static let defaultPath = "libnvidia-ml.so.1"

    /// Loads NVML from `path`.
    /// - Throws: ``DynamicLibraryError`` when the library or a required symbol is missing.
    init(path: String) throws(DynamicLibraryError) {
        let library = try DynamicLibrary.open(path)
        self.library = library
        initialize = try library.require(firstOf: ["nvmlInit_v2", "nvmlInit"])
        errorString = try library.require("nvmlErrorString")
        deviceCount = try library.require(firstOf: ["nvmlDeviceGetCount_v2", "nvmlDeviceGetCount"])
        handleByIndex = try library.require(firstOf: ["nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex"])
        driverVersion = library.lookup("nvmlSystemGetDriverVersion")
        cudaDriverVersion = library.lookup("nvmlSystemGetCudaDriverVersion_v2") ?? library.lookup("nvmlSystemGetCudaDriverVersion")
        name = library.lookup("nvmlDeviceGetName")
        uuid = library.lookup("nvmlDeviceGetUUID")
        memoryV2 = library.lookup("nvmlDeviceGetMemoryInfo_v2")
        memoryV1 = library.lookup("nvmlDeviceGetMemoryInfo")
        utilization = library.lookup("nvmlDeviceGetUtilizationRates")
        temperature = library.lookup("nvmlDeviceGetTemperature")
        powerUsage = library.lookup("nvmlDeviceGetPowerUsage")
        powerLimit = library.lookup("nvmlDeviceGetEnforcedPowerLimit")
        eccMode = library.lookup("nvmlDeviceGetEccMode")
        var queries: [GPUProcess.Kind: ProcessQuery] = [:]
        for (kind, base) in [(GPUProcess.Kind.compute, "nvmlDeviceGetComputeRunningProcesses"),
                             (.graphics, "nvmlDeviceGetGraphicsRunningProcesses")] {
            if let v3: hr_nvmlDeviceGetProcesses_v2_fn = library.lookup(base + "_v3") {
                queries[kind] = .v2(v3)
            } else if let v2: hr_nvmlDeviceGetProcesses_v2_fn = library.lookup(base + "_v2") {
                queries[kind] = .v2(v2)
            } else if let v1: hr_nvmlDeviceGetProcesses_v1_fn = library.lookup(base) {
                queries[kind] = .v1(v1)
            }
        }
        processQueries = queries
    }

    /// NVML's own words for a return code (`nvmlErrorString`), with the code.
    func describe(_ code: hr_nvmlReturn_t) -> String {
        let text = errorString(code).map { String(cString: $0) } ?? "unknown error"
        return "\(text) (NVML error \(code))"
    }
}
