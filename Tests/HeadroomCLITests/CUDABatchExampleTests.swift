import HeadroomSystemTestKit
import Testing

/// The CUDA example workload against a fake driver: real cuMemAlloc failures
/// through the real dlopen path, and the batcher's recovery from them.
@Suite("cuda-batch-example with a fake CUDA driver")
struct CUDABatchExampleTests {
    static let runner = CommandRunner(product: "cuda-batch-example")

    func run(_ scenario: String, _ arguments: [String]) throws -> (CommandRunner.Result, [String: Any]?) {
        let library = try FakeCUDA.library(scenario: scenario)
        let result = try Self.runner.run(arguments, environment: ["HEADROOM_CUDA_LIBRARY": library])
        return (result, result.status == 0 ? try CLI.json(result) : nil)
    }

    @Test("probing from 1 hits real OOMs, settles where cuMemGetInfo says, and loses nothing")
    func probe() throws {
        let (result, json) = try run("total 1GiB\ncontext 100MiB", ["--per-item", "10MiB", "--items", "1000"])
        let summary = try #require(json, "status \(result.status): \(result.standardError)")
        #expect(summary.int("predictedSize") == 92)  // (1024 − 100) MiB ÷ 10 MiB
        #expect(summary.int("settledSize") == 92)
        let outOfMemory = try #require(summary.int("outOfMemoryCountUntilSettled"))
        #expect((1...9).contains(outOfMemory))  // at most ⌈log₂ 186⌉ + 2
        #expect(summary.int("itemsLost") == 0)
        #expect(summary.int("itemsRepeated") == 0)
        #expect(summary.at("outputsInOrder") as? Bool == true)
        #expect(summary.int("freeBytesAfter") == summary.int("freeBytesBefore"))
    }

    @Test("starting from the budget needs no OOM to find its size")
    func budget() throws {
        let (result, json) = try run("total 2GiB\nused 512MiB", ["--per-item", "12MiB", "--items", "600", "--start", "budget"])
        let summary = try #require(json, "status \(result.status): \(result.standardError)")
        #expect(summary.int("predictedSize") == 128)
        let first = try #require((summary.at("sizeHistory") as? [Any])?.first as? Int)
        #expect(first <= 128)
        #expect(summary.int("itemsLost") == 0)
        #expect(summary.at("outputsInOrder") as? Bool == true)
    }

    @Test("an item that does not fit alone, and a missing driver: one line, status 1")
    func failures() throws {
        let (tooBig, _) = try run("total 1GiB\nused 1000MiB", ["--per-item", "100MiB"])
        #expect(tooBig.status == 1)
        #expect(tooBig.standardError == "Error: item 0 does not fit in memory even alone: cuMemAlloc_v2 failed: out of memory (CUDA_ERROR_OUT_OF_MEMORY, CUDA error 2)\n")

        let missing = try Self.runner.run([], environment: ["HEADROOM_CUDA_LIBRARY": "/nonexistent/libcuda.so.1"])
        #expect(missing.status == 1)
        #expect(missing.standardError.hasPrefix("Error: cannot load /nonexistent/libcuda.so.1"))
    }
}
