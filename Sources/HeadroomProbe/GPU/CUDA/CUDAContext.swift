internal import CHeadroomGPU
import HeadroomCore

/// A device's primary context, retained for the life of this object.
///
/// Each call makes the context current on the calling thread first, so a
/// context can be used from any task. Allocations keep their context alive.
public final class CUDAContext: Sendable {
    /// The device's ordinal, as given to ``CUDADriver/primaryContext(device:)``.
    public let ordinal: Int
    let driver: CUDADriver
    private let device: hr_CUdevice
    // A CUcontext: owned by the driver, valid while retained, which this object guarantees until deinit.
    nonisolated(unsafe) private let handle: UnsafeMutableRawPointer

    init(driver: CUDADriver, ordinal: Int, device: hr_CUdevice, handle: UnsafeMutableRawPointer) {
        self.driver = driver
        self.ordinal = ordinal
        self.device = device
        self.handle = handle
    }

    deinit {
        _ = driver.functions.releasePrimary(device)
    }

    /// Free and total memory on the device, as the driver counts them.
    /// The corresponding CUDA function is `cuMemGetInfo_v2`.
    public func memoryInfo() throws(CUDAError) -> CUDAMemoryInfo {
        try makeCurrent()
        var free = 0
        var total = 0
        try driver.functions.check(driver.functions.memoryInfo(&free, &total), "cuMemGetInfo_v2")
        return CUDAMemoryInfo(free: ByteCount(Int64(free)), total: ByteCount(Int64(total)))
    }

    /// `byteCount` bytes of device memory, freed when the returned object is released.
    /// The corresponding CUDA function is `cuMemAlloc_v2`.
    /// - Throws: ``CUDAError``; ``CUDAError/isOutOfMemory`` when the device has no room.
    public func allocate(_ byteCount: ByteCount) throws(CUDAError) -> CUDADeviceMemory {
        guard byteCount.bytes > 0, let size = Int(exactly: byteCount.bytes) else {
            throw CUDAError(function: "cuMemAlloc_v2", code: HR_CUDA_ERROR_INVALID_VALUE,
                            message: "cannot allocate \(byteCount.bytes) bytes")
        }
        try makeCurrent()
        var address: hr_CUdeviceptr = 0
        try driver.functions.check(driver.functions.allocate(&address, size), "cuMemAlloc_v2")
        return CUDADeviceMemory(context: self, address: address, byteCount: byteCount)
    }

    /// Frees an allocation; called by ``CUDADeviceMemory``'s deinit.
    func free(_ address: UInt64) {
        guard (try? makeCurrent()) != nil else { return }
        _ = driver.functions.free(address)
    }

    private func makeCurrent() throws(CUDAError) {
        try driver.functions.check(driver.functions.setCurrent(OpaquePointer(handle)), "cuCtxSetCurrent")
    }
}

/// Device memory as the driver reports it.
public struct CUDAMemoryInfo: Sendable, Hashable, Codable {
    public var free: ByteCount
    public var total: ByteCount

    public init(free: ByteCount, total: ByteCount) {
        self.free = free
        self.total = total
    }
}

/// Memory on a device, freed when this object is released.
public final class CUDADeviceMemory: Sendable {
    /// The device address (`CUdeviceptr`).
    public let address: UInt64
    /// The size asked for.
    public let byteCount: ByteCount
    private let context: CUDAContext

    init(context: CUDAContext, address: UInt64, byteCount: ByteCount) {
        self.context = context
        self.address = address
        self.byteCount = byteCount
    }

    deinit {
        context.free(address)
    }
}
