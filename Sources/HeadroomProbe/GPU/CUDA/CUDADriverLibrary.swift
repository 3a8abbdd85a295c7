internal import CHeadroomGPU

/// The CUDA driver functions Headroom calls, looked up in `libcuda.so.1`.
///
/// Every function is required except the error-text pair; the primary-context
/// release falls back to its name before CUDA 11 (the same signature).
struct CUDADriverLibrary: @unchecked Sendable {
    // @unchecked: every stored property is a C function pointer into a library that
    // is never unloaded (DynamicLibrary), so sharing copies across threads is safe.
    let library: DynamicLibrary
    let initialize: hr_cuInit_fn
    let deviceCount: hr_cuDeviceGetCount_fn
    let device: hr_cuDeviceGet_fn
    let retainPrimary: hr_cuDevicePrimaryCtxRetain_fn
    let releasePrimary: hr_cuDevicePrimaryCtxRelease_fn
    let setCurrent: hr_cuCtxSetCurrent_fn
    let memoryInfo: hr_cuMemGetInfo_fn
    let allocate: hr_cuMemAlloc_fn
    let free: hr_cuMemFree_fn
    let errorName: hr_cuGetErrorName_fn?
    let errorString: hr_cuGetErrorString_fn?

    /// Loads the driver from `path`.
    /// - Throws: ``DynamicLibraryError`` when the library or a required symbol is missing.
    init(path: String) throws(DynamicLibraryError) {
        let library = try DynamicLibrary.open(path)
        self.library = library
        initialize = try library.require("cuInit")
        deviceCount = try library.require("cuDeviceGetCount")
        device = try library.require("cuDeviceGet")
        retainPrimary = try library.require("cuDevicePrimaryCtxRetain")
        releasePrimary = try library.require(firstOf: ["cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease"])
        setCurrent = try library.require("cuCtxSetCurrent")
        // cuda.h maps these names to the _v2 symbols (size_t sizes); the bare names are the pre-3.2 32-bit ABI.
        memoryInfo = try library.require("cuMemGetInfo_v2")
        allocate = try library.require("cuMemAlloc_v2")
        free = try library.require("cuMemFree_v2")
        errorName = library.lookup("cuGetErrorName")
        errorString = library.lookup("cuGetErrorString")
    }

    /// Throws a ``CUDAError`` naming `function` unless `code` is `CUDA_SUCCESS`.
    func check(_ code: hr_CUresult, _ function: String) throws(CUDAError) {
        guard code != HR_CUDA_SUCCESS else { return }
        throw error(code, function)
    }

    /// The error for `code`, in the driver's words where it has them.
    func error(_ code: hr_CUresult, _ function: String) -> CUDAError {
        CUDAError(function: function, code: code,
                  name: text(code, errorName), message: text(code, errorString) ?? "unknown CUDA error")
    }

    private func text(_ code: hr_CUresult, _ lookup: hr_cuGetErrorName_fn?) -> String? {
        guard let lookup else { return nil }
        var text: UnsafePointer<CChar>?
        guard lookup(code, &text) == HR_CUDA_SUCCESS, let text else { return nil }
        return String(cString: text)
    }
}
