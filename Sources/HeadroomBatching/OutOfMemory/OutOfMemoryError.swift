/// An error that means "out of memory" by its type: throw one from a workload
/// (or conform your own) and the batcher shrinks instead of failing.
public protocol OutOfMemoryError: Error {}

/// An error that knows whether it means "out of memory", such as a CUDA error
/// whose code may be `CUDA_ERROR_OUT_OF_MEMORY` (2) or something else.
public protocol OutOfMemoryClassifiable: Error {
    var isOutOfMemory: Bool { get }
}
