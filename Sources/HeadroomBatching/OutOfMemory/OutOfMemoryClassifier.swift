/// Decides whether an error, or a program's error output, means "out of memory".
///
/// Typed errors first (``OutOfMemoryError``, ``OutOfMemoryClassifiable``), then
/// the error's text against the messages of the backends people meet. The
/// patterns are matched case-insensitively as substrings; add your own with
/// ``adding(_:)``.
public struct OutOfMemoryClassifier: Sendable {
    /// The message patterns, lowercased.
    public private(set) var patterns: [String]

    /// The messages of CUDA, HIP, MPS, XPU, cuDNN, cuBLAS, PyTorch's CPU allocator,
    /// ONNX Runtime, TensorFlow and JAX, and the C++ runtime.
    public static let standardPatterns = [
        "out of memory",                       // CUDA "CUDA out of memory", HIP, XPU, MPS, JAX "RESOURCE_EXHAUSTED: Out of memory"
        "cuda_error_out_of_memory",            // CUDA driver API error name (code 2)
        "cudaerrormemoryallocation",           // CUDA runtime API error name (code 2)
        "cudnn_status_alloc_failed",           // cuDNN
        "cublas_status_alloc_failed",          // cuBLAS
        "cufft_alloc_failed", "cusolver_status_alloc_failed",
        "defaultcpuallocator: can't allocate memory", // PyTorch on the CPU
        "failed to allocate memory",           // ONNX Runtime "Failed to allocate memory for requested buffer"
        "oom when allocating",                 // TensorFlow
        "resource_exhausted",                  // TensorFlow and XLA
        "std::bad_alloc", "cannot allocate memory", // C++ runtime, errno ENOMEM
        "hipErrorOutOfMemory".lowercased(),    // HIP runtime error name
    ]

    /// A classifier with the standard patterns and any `extra` ones.
    public init(extra: [String] = []) {
        patterns = OutOfMemoryClassifier.standardPatterns + extra.map { $0.lowercased() }
    }

    /// This classifier with `pattern` matched too.
    public func adding(_ pattern: String) -> OutOfMemoryClassifier {
        var copy = self
        copy.patterns.append(pattern.lowercased())
        return copy
    }

    /// Whether `error` means out of memory: by its type, or by its text.
    public func isOutOfMemory(_ error: any Error) -> Bool {
        if error is any OutOfMemoryError { return true }
        if let classifiable = error as? any OutOfMemoryClassifiable { return classifiable.isOutOfMemory }
        return matches(String(describing: error))
    }

    /// Whether `text` (an error message, or a program's standard error) reads as out of memory.
    /// The exception class names frameworks give their out-of-memory errors: PyTorch's
    /// `OutOfMemoryError` (`torch.cuda.OutOfMemoryError`), TensorFlow's `ResourceExhaustedError`,
    /// Python's own `MemoryError`.
    public static let outOfMemoryTypeNames: Set<String> = ["OutOfMemoryError", "ResourceExhaustedError", "MemoryError"]

    /// Whether an exception of type `typeName` (qualified or not, e.g. `torch.cuda.OutOfMemoryError`)
    /// with `message` is out of memory: by its class name, or by its text.
    public func matches(message: String?, typeName: String?) -> Bool {
        if let typeName, let last = typeName.split(separator: ".").last,
           OutOfMemoryClassifier.outOfMemoryTypeNames.contains(String(last)) {
            return true
        }
        return message.map(matches) ?? false
    }

    public func matches(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return patterns.contains { lowered.contains($0) }
    }
}
