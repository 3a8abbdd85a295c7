#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CHeadroomGPU
import Synchronization

/// NVIDIA GPUs through NVML, loaded at run time.
///
/// Loads `libnvidia-ml.so.1`, or the library named by `HEADROOM_NVML_LIBRARY`.
/// Nothing here fails the report: a missing library, a missing optional symbol,
/// `NOT_SUPPORTED` on one field or a lost GPU leave that field empty with the
/// reason in the inventory's or device's `issues`.
public struct NVMLBackend: GPUBackend {
    /// The library to load.
    public var libraryPath: String
    /// `CUDA_VISIBLE_DEVICES`, handed on in each inventory; `nil` when unset.
    public var cudaVisibleDevices: String?

    /// A backend for the library at `libraryPath`; by default `HEADROOM_NVML_LIBRARY` or `libnvidia-ml.so.1`.
    /// - Parameter cudaVisibleDevices: the devices a job gets; by default this process's `CUDA_VISIBLE_DEVICES`.
    public init(libraryPath: String? = nil, cudaVisibleDevices: String? = CUDAVisibleDevices.fromEnvironment()) {
        self.cudaVisibleDevices = cudaVisibleDevices
        self.libraryPath = libraryPath
            ?? getenv(NVMLLibrary.pathVariable).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? NVMLLibrary.defaultPath
    }

    /// NVML needs `nvmlInit` once per process; the result is kept per library.
    private static let initialized = Mutex<[String: Result<NVMLLibrary, GPUIssue>]>([:])

    func load() -> Result<NVMLLibrary, GPUIssue> {
        NVMLBackend.initialized.withLock { cache in
            if let known = cache[libraryPath] { return known }
            let result: Result<NVMLLibrary, GPUIssue>
            do throws(DynamicLibraryError) {
                var nvml = try NVMLLibrary(path: libraryPath)
                let code = nvml.initialize()
                if code == HR_NVML_SUCCESS, let version = nvml.readDriverVersion() {
                    nvml.avoidWideProcessInfo(driverVersion: version)
                }
                result = code == HR_NVML_SUCCESS
                    ? .success(nvml)
                    : .failure(GPUIssue(field: .initialize, reason: "nvmlInit failed: \(nvml.describe(code))"))
            } catch {
                let hint = libraryPath == NVMLLibrary.defaultPath
                    ? "; no NVIDIA driver is installed (set \(NVMLLibrary.pathVariable) to its path if it is elsewhere)"
                    : ""
                result = .failure(GPUIssue(field: .library, reason: error.description + hint))
            }
            cache[libraryPath] = result
            return result
        }
    }

    public func inventory() -> GPUInventory {
        let nvml: NVMLLibrary
        switch load() {
        case .failure(let issue):
            var inventory = GPUInventory(backend: "nvml", isAvailable: false, library: libraryPath, issues: [issue])
            inventory.cudaVisibleDevices = cudaVisibleDevices
            return inventory
        case .success(let loaded):
            nvml = loaded
        }
        var inventory = GPUInventory(backend: "nvml", isAvailable: true, library: libraryPath)
        inventory.cudaVisibleDevices = cudaVisibleDevices
        inventory.driverVersion = nvml.readDriverVersion()
        if let fn = nvml.cudaDriverVersion {
            var version: Int32 = 0
            if fn(&version) == HR_NVML_SUCCESS, version > 0 {
                inventory.cudaDriverVersion = "\(version / 1000).\(version % 1000 / 10)"
            }
        }
        var count: UInt32 = 0
        let code = nvml.deviceCount(&count)
        guard code == HR_NVML_SUCCESS else {
            inventory.issues.append(GPUIssue(field: .deviceCount, reason: nvml.describe(code)))
            return inventory
        }
        // The count comes from the driver; a corrupt library must not make us loop for ever.
        inventory.devices = (0..<min(count, 1024)).map { device(at: $0, nvml: nvml) }
        return inventory
    }

    /// Reads one string field through a `(buffer, length)` function.
    static func string(capacity: Int, _ fill: (UnsafeMutablePointer<CChar>, UInt32) -> hr_nvmlReturn_t)
        -> (value: String?, code: hr_nvmlReturn_t) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            buffer.initialize(repeating: 0)
            let code = fill(buffer.baseAddress!, UInt32(capacity))
            buffer[capacity - 1] = 0
            return (code == HR_NVML_SUCCESS ? String(cString: buffer.baseAddress!) : nil, code)
        }
    }
}
