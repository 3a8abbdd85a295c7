internal import CHeadroomGPU

/// NVML's functions, looked up one by one in `libnvidia-ml.so.1`.
///
/// Required functions throw when missing; optional ones are `nil` and become
/// capability checks (an older driver without `nvmlDeviceGetMemoryInfo_v2`
/// falls back to `nvmlDeviceGetMemoryInfo`).
struct NVMLLibrary: @unchecked Sendable {
    // @unchecked: every stored property is a C function pointer into a library that
    // is never unloaded (DynamicLibrary), so sharing copies across threads is safe.
    let library: DynamicLibrary
    let initialize: hr_nvmlInit_fn
    let errorString: hr_nvmlErrorString_fn
    let deviceCount: hr_nvmlDeviceGetCount_fn
    let handleByIndex: hr_nvmlDeviceGetHandleByIndex_fn
    let driverVersion: hr_nvmlSystemGetString_fn?
    let cudaDriverVersion: hr_nvmlSystemGetCudaDriverVersion_fn?
    let name: hr_nvmlDeviceGetString_fn?
    let uuid: hr_nvmlDeviceGetString_fn?
    let pciInfo: hr_nvmlDeviceGetPciInfo_fn?
    let memoryV2: hr_nvmlDeviceGetMemoryInfo_v2_fn?
    let memoryV1: hr_nvmlDeviceGetMemoryInfo_fn?
    let utilization: hr_nvmlDeviceGetUtilizationRates_fn?
    let temperature: hr_nvmlDeviceGetTemperature_fn?
    let powerUsage: hr_nvmlDeviceGetUInt_fn?
    let powerLimit: hr_nvmlDeviceGetUInt_fn?
    let eccMode: hr_nvmlDeviceGetEccMode_fn?
    let minorNumber: hr_nvmlDeviceGetUInt_fn?
    /// MIG functions (drivers from R450 on); an older driver has none of them, and then there is no MIG information.
    let mig: MIGFunctions?
    /// Per-process queries, newest first: `_v3` and `_v2` fill the same struct, v1 a shorter one
    /// (but see ``avoidWideProcessInfo(driverVersion:)``).
    private(set) var processQueries: [GPUProcess.Kind: ProcessQuery]

    /// The MIG queries. The mode is the one needed; the others are each optional.
    struct MIGFunctions {
        let mode: hr_nvmlDeviceGetMigMode_fn
        let maxDeviceCount: hr_nvmlDeviceGetUInt_fn?
        let deviceHandleByIndex: hr_nvmlDeviceGetMigDeviceHandleByIndex_fn?
        let gpuInstanceID: hr_nvmlDeviceGetUInt_fn?
        let computeInstanceID: hr_nvmlDeviceGetUInt_fn?

        /// `nil` where the library has no `nvmlDeviceGetMigMode`.
        init?(library: DynamicLibrary) {
            guard let mode: hr_nvmlDeviceGetMigMode_fn = library.lookup("nvmlDeviceGetMigMode") else { return nil }
            self.mode = mode
            maxDeviceCount = library.lookup("nvmlDeviceGetMaxMigDeviceCount")
            deviceHandleByIndex = library.lookup("nvmlDeviceGetMigDeviceHandleByIndex")
            gpuInstanceID = library.lookup("nvmlDeviceGetGpuInstanceId")
            computeInstanceID = library.lookup("nvmlDeviceGetComputeInstanceId")
        }
    }

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
        pciInfo = library.lookup("nvmlDeviceGetPciInfo_v3") ?? library.lookup("nvmlDeviceGetPciInfo_v2")
        memoryV2 = library.lookup("nvmlDeviceGetMemoryInfo_v2")
        memoryV1 = library.lookup("nvmlDeviceGetMemoryInfo")
        utilization = library.lookup("nvmlDeviceGetUtilizationRates")
        temperature = library.lookup("nvmlDeviceGetTemperature")
        powerUsage = library.lookup("nvmlDeviceGetPowerUsage")
        powerLimit = library.lookup("nvmlDeviceGetEnforcedPowerLimit")
        eccMode = library.lookup("nvmlDeviceGetEccMode")
        minorNumber = library.lookup("nvmlDeviceGetMinorNumber")
        mig = MIGFunctions(library: library)
        processQueries = NVMLLibrary.processQueries(in: library, versions: ["_v3", "_v2"])
    }

    /// The newest process query of each kind among `versions` (suffixes, newest first), else the v1 one.
    private static func processQueries(in library: DynamicLibrary, versions: [String]) -> [GPUProcess.Kind: ProcessQuery] {
        var queries: [GPUProcess.Kind: ProcessQuery] = [:]
        for (kind, base) in [(GPUProcess.Kind.compute, "nvmlDeviceGetComputeRunningProcesses"),
                             (.graphics, "nvmlDeviceGetGraphicsRunningProcesses")] {
            if let newer = versions.lazy.compactMap({ library.lookup(base + $0, as: hr_nvmlDeviceGetProcesses_v2_fn.self) }).first {
                queries[kind] = .v2(newer)
            } else if let v1: hr_nvmlDeviceGetProcesses_v1_fn = library.lookup(base) {
                queries[kind] = .v1(v1)
            }
        }
        return queries
    }

    /// Drivers 535.43 up to (not including) 535.98 fill a longer struct from the
    /// `_v3` process queries (`nvmlProcessInfo_v3_t`, 32 bytes: a trailing
    /// `usedGpuCcProtectedMemory`) under the name of the 24-byte one that `_v3`
    /// took before and takes again from 535.104. Read at 24 bytes a stride, every
    /// entry after the first is garbage. With such a driver, use `_v2`, whose
    /// struct never changed. Call once `nvmlInit` has succeeded.
    mutating func avoidWideProcessInfo(driverVersion: String) {
        guard NVMLLibrary.hasWideProcessInfoV3(driverVersion: driverVersion) else { return }
        processQueries = NVMLLibrary.processQueries(in: library, versions: ["_v2"])
    }

    /// Whether a driver (`535.54.03`) is one whose `_v3` process queries fill `nvmlProcessInfo_v3_t`.
    static func hasWideProcessInfoV3(driverVersion: String) -> Bool {
        let parts = driverVersion.split(separator: ".").map { Int($0) }
        guard parts.count >= 2, let major = parts[0], let minor = parts[1] else { return false }
        return major == 535 && (43..<98).contains(minor)
    }

    /// The driver's version (`550.54.15`), or `nil` where NVML will not say.
    /// The corresponding NVML function is `nvmlSystemGetDriverVersion`.
    func readDriverVersion() -> String? {
        driverVersion.flatMap { fn in
            NVMLBackend.string(capacity: Int(HR_NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE)) { fn($0, $1) }.value
        }
    }

    /// NVML's own words for a return code (`nvmlErrorString`), with the code.
    func describe(_ code: hr_nvmlReturn_t) -> String {
        let text = errorString(code).map { String(cString: $0) } ?? "unknown error"
        return "\(text) (NVML error \(code))"
    }
}
