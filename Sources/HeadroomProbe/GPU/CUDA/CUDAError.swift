/// A CUDA driver call that failed, or a driver that could not be loaded.
///
/// ``isOutOfMemory`` is true for `CUDA_ERROR_OUT_OF_MEMORY` (2), so the
/// batcher treats a failed `cuMemAlloc` as a signal to shrink, and every other
/// code as an error to report.
public struct CUDAError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The driver function that failed (`cuMemAlloc_v2`), or `dlopen` when the library could not be loaded.
    public var function: String
    /// The driver's return code; `nil` when the library could not be loaded.
    public var code: Int32?
    /// The code's name from `cuGetErrorName` (`CUDA_ERROR_OUT_OF_MEMORY`), where the driver knows it.
    public var name: String?
    /// What went wrong, in the driver's words (`cuGetErrorString`) or the loader's.
    public var message: String

    /// `CUDA_ERROR_OUT_OF_MEMORY`.
    public static let outOfMemoryCode: Int32 = 2

    public init(function: String, code: Int32?, name: String? = nil, message: String) {
        self.function = function
        self.code = code
        self.name = name
        self.message = message
    }

    /// Whether the driver answered `CUDA_ERROR_OUT_OF_MEMORY`.
    public var isOutOfMemory: Bool { code == CUDAError.outOfMemoryCode }

    public var description: String {
        guard let code else { return message }
        let label = name.map { "\($0), " } ?? ""
        return "\(function) failed: \(message) (\(label)CUDA error \(code))"
    }
}
