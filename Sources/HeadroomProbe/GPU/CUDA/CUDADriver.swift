#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CHeadroomGPU
import HeadroomCore
import Synchronization

/// The CUDA driver API, loaded at run time: devices, primary contexts, free
/// memory and device allocations.
///
/// Loads `libcuda.so.1`, or the library named by `HEADROOM_CUDA_LIBRARY`, and
/// calls `cuInit` once per library and process:
///
/// ```swift
/// let context = try CUDADriver.load().primaryContext(device: 0)
/// let memory = try context.memoryInfo()          // cuMemGetInfo
/// let buffer = try context.allocate(.mebibytes(256))  // freed when released
/// ```
public final class CUDADriver: Sendable {
    /// The environment variable that names another driver library to load.
    public static let pathVariable = "HEADROOM_CUDA_LIBRARY"
    static let defaultPath = "libcuda.so.1"

    /// The library it was loaded from.
    public var path: String { functions.library.path }
    let functions: CUDADriverLibrary

    private init(functions: CUDADriverLibrary) {
        self.functions = functions
    }

    private static let loaded = Mutex<[String: Result<CUDADriver, CUDAError>]>([:])

    /// The driver at `path` (by default `HEADROOM_CUDA_LIBRARY` or `libcuda.so.1`), initialized.
    ///
    /// The first call per path opens the library and calls `cuInit`; later calls
    /// return the same driver, or the same error.
    /// - Throws: ``CUDAError`` when the library or a required function is missing
    ///   (function `dlopen`), or `cuInit` fails (no device, driver mismatch).
    public static func load(path: String? = nil) throws(CUDAError) -> CUDADriver {
        let path = path
            ?? getenv(pathVariable).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? defaultPath
        let result = loaded.withLock { cache in
            if let known = cache[path] { return known }
            let result = Result { () throws(CUDAError) -> CUDADriver in
                let functions: CUDADriverLibrary
                do throws(DynamicLibraryError) {
                    functions = try CUDADriverLibrary(path: path)
                } catch {
                    let hint = path == defaultPath
                        ? "; no NVIDIA driver is installed (set \(pathVariable) to its path if it is elsewhere)" : ""
                    throw CUDAError(function: "dlopen", code: nil, message: error.description + hint)
                }
                try functions.check(functions.initialize(0), "cuInit")
                return CUDADriver(functions: functions)
            }
            cache[path] = result
            return result
        }
        return try result.get()
    }

    /// How many CUDA devices the driver sees (after `CUDA_VISIBLE_DEVICES`).
    /// The corresponding CUDA function is `cuDeviceGetCount`.
    public func deviceCount() throws(CUDAError) -> Int {
        var count: Int32 = 0
        try functions.check(functions.deviceCount(&count), "cuDeviceGetCount")
        return Int(count)
    }

    /// The primary context of device `ordinal`, retained until the returned
    /// context (and every allocation made in it) is released.
    /// The corresponding CUDA functions are `cuDeviceGet` and `cuDevicePrimaryCtxRetain`.
    public func primaryContext(device ordinal: Int) throws(CUDAError) -> CUDAContext {
        guard let ordinal32 = Int32(exactly: ordinal) else {
            throw CUDAError(function: "cuDeviceGet", code: HR_CUDA_ERROR_INVALID_DEVICE, message: "no device \(ordinal)")
        }
        var device: hr_CUdevice = 0
        try functions.check(functions.device(&device, ordinal32), "cuDeviceGet")
        var context: hr_CUcontext?
        try functions.check(functions.retainPrimary(&context, device), "cuDevicePrimaryCtxRetain")
        guard let context else {
            throw CUDAError(function: "cuDevicePrimaryCtxRetain", code: HR_CUDA_ERROR_INVALID_CONTEXT,
                            message: "the driver returned no context")
        }
        return CUDAContext(driver: self, ordinal: ordinal, device: device, handle: UnsafeMutableRawPointer(context))
    }
}
