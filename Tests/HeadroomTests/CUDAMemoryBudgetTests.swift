import Headroom
import HeadroomSystemTestKit
import Testing

@Suite("CUDAMemoryBudget and CUDA errors in the batcher")
struct CUDAMemoryBudgetTests {
    @Test("the budget reads free device memory through cuMemGetInfo")
    func budget() throws {
        let path = try FakeCUDA.library(scenario: "devices 2\ntotal 24GiB\nused 4GiB")
        let driver = try CUDADriver.load(path: path)
        var budget = try CUDAMemoryBudget(device: 1, driver: driver, perItem: .mebibytes(512), fixed: .gibibytes(2))
        #expect(try budget.current() == BatchBudget(free: .gibibytes(20), fixed: .gibibytes(2), perItem: .mebibytes(512)))
        #expect(try budget.current().batchSize == 26)  // (20 GiB × 0.75 − 2 GiB) ÷ 512 MiB
        budget.level = .extreme
        #expect(try budget.current().batchSize == 34)  // (20 GiB × 0.95 − 2 GiB) ÷ 512 MiB
        let held = try budget.context.allocate(.gibibytes(10))
        #expect(try budget.current().free == .gibibytes(10))
        _ = held
    }

    @Test("CUDA_ERROR_OUT_OF_MEMORY is out of memory to the classifier; other codes are not")
    func classification() {
        let classifier = OutOfMemoryClassifier()
        #expect(classifier.isOutOfMemory(CUDAError(function: "cuMemAlloc_v2", code: 2, message: "out of memory")))
        #expect(!classifier.isOutOfMemory(CUDAError(function: "cuLaunchKernel", code: 700,
                                                    message: "an illegal memory access was encountered")))
    }
}
