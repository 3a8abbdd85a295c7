import HeadroomProbe
import HeadroomSystemTestKit
import Testing

/// The CUDA driver binding against a fake libcuda compiled from C during the run:
/// the real dlopen/dlsym path, primary contexts, allocations and driver errors.
@Suite("CUDADriver with a fake CUDA driver")
struct CUDADriverTests {
    func load(_ scenario: String, omitting: Set<FakeCUDA.Omission> = []) throws -> (driver: CUDADriver, path: String) {
        let path = try FakeCUDA.library(scenario: scenario, omitting: omitting)
        let driver = try CUDADriver.load(path: path)
        #expect(FakeCUDA.scenarioProblem(in: path) == nil)
        return (driver, path)
    }

    @Test("devices, and free memory after other processes and the context")
    func memoryInfo() throws {
        let (driver, _) = try load("devices 2\ntotal 16GiB\nused 2GiB\ncontext 300MiB")
        #expect(try driver.deviceCount() == 2)
        let context = try driver.primaryContext(device: 1)
        #expect(context.ordinal == 1)
        #expect(try context.memoryInfo() == CUDAMemoryInfo(free: .gibibytes(14) - .mebibytes(300), total: .gibibytes(16)))
    }

    @Test("allocations take rounded memory and give it back when released")
    func allocations() throws {
        let (driver, path) = try load("total 1GiB\ngranularity 2MiB")
        let context = try driver.primaryContext(device: 0)
        var buffers = [try context.allocate(.mebibytes(3)), try context.allocate(ByteCount(1))]
        #expect(buffers[0].address != buffers[1].address)
        #expect(try context.memoryInfo().free == .gibibytes(1) - .mebibytes(6))
        #expect(FakeCUDA.liveAllocations(device: 0, in: path) == 2)
        buffers.removeAll()
        #expect(FakeCUDA.liveAllocations(device: 0, in: path) == 0)
        #expect(try context.memoryInfo().free == .gibibytes(1))
    }

    @Test("a full device answers CUDA_ERROR_OUT_OF_MEMORY, named in the driver's words")
    func outOfMemory() throws {
        let (driver, _) = try load("total 1GiB\nused 768MiB")
        let context = try driver.primaryContext(device: 0)
        let error = try #require(throws: CUDAError.self) { try context.allocate(.mebibytes(300)) }
        #expect(error.isOutOfMemory)
        #expect(error.code == 2)
        #expect(error.name == "CUDA_ERROR_OUT_OF_MEMORY")
        #expect(error.description == "cuMemAlloc_v2 failed: out of memory (CUDA_ERROR_OUT_OF_MEMORY, CUDA error 2)")
        // What fits still fits.
        _ = try context.allocate(.mebibytes(256))
    }

    @Test("the primary context is released with the last object that holds it")
    func contextLifetime() throws {
        let (driver, path) = try load("")
        do {
            let context = try driver.primaryContext(device: 0)
            let buffer = try context.allocate(.mebibytes(64))
            #expect(FakeCUDA.contextReferences(device: 0, in: path) == 1)
            _ = buffer
        }
        #expect(FakeCUDA.contextReferences(device: 0, in: path) == 0)
        #expect(FakeCUDA.liveAllocations(device: 0, in: path) == 0)
    }

    @Test("cuInit runs once per library, and its failure is kept")
    func initializesOnce() throws {
        let (_, path) = try load("")
        _ = try CUDADriver.load(path: path)
        #expect(FakeCUDA.callCount(of: "cuInit", in: path) == 1)

        let none = try FakeCUDA.library(scenario: "devices 0")
        for _ in 0..<2 {
            let error = try #require(throws: CUDAError.self) { try CUDADriver.load(path: none) }
            #expect(error.function == "cuInit")
            #expect(error.code == 100)
            #expect(error.message == "no CUDA-capable device is detected")
            #expect(!error.isOutOfMemory)
        }
        #expect(FakeCUDA.callCount(of: "cuInit", in: none) == 1)
    }

    @Test("a device the driver does not have")
    func invalidDevice() throws {
        let (driver, _) = try load("devices 1")
        let error = try #require(throws: CUDAError.self) { try driver.primaryContext(device: 3) }
        #expect(error.function == "cuDeviceGet")
        #expect(error.name == "CUDA_ERROR_INVALID_DEVICE")
    }

    @Test("no library, or one without a required function: a load error naming it")
    func missingLibrary() throws {
        let missing = try #require(throws: CUDAError.self) { try CUDADriver.load(path: "/nonexistent/libcuda.so.1") }
        #expect(missing.function == "dlopen")
        #expect(missing.code == nil)
        #expect(missing.description.hasPrefix("cannot load /nonexistent/libcuda.so.1"))

        let path = try FakeCUDA.library(omitting: [.memoryAllocation])
        let incomplete = try #require(throws: CUDAError.self) { try CUDADriver.load(path: path) }
        #expect(incomplete.description.contains("has no symbol cuMemAlloc_v2"))
    }

    @Test("an older driver: the pre-CUDA 11 context release, no error text")
    func olderDriver() throws {
        let (driver, path) = try load("total 1GiB", omitting: [.primaryContextReleaseV2, .errorText])
        do {
            let context = try driver.primaryContext(device: 0)
            let error = try #require(throws: CUDAError.self) { try context.allocate(.gibibytes(2)) }
            #expect(error.isOutOfMemory)
            #expect(error.name == nil)
            #expect(error.description == "cuMemAlloc_v2 failed: unknown CUDA error (CUDA error 2)")
        }
        #expect(FakeCUDA.callCount(of: "cuDevicePrimaryCtxRelease", in: path) == 1)
        #expect(FakeCUDA.contextReferences(device: 0, in: path) == 0)
    }

    @Test("a zero-byte allocation is refused before the driver is asked")
    func zeroBytes() throws {
        let (driver, path) = try load("")
        let context = try driver.primaryContext(device: 0)
        let error = try #require(throws: CUDAError.self) { try context.allocate(.zero) }
        #expect(error.code == 1)
        #expect(FakeCUDA.callCount(of: "cuMemAlloc_v2", in: path) == 0)
    }
}
