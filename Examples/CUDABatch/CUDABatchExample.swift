import ArgumentParser
import FoundationEssentials
import Headroom
import Synchronization

/// A workload that needs real device memory per item: each item of a batch
/// holds its own `cuMemAlloc` block until the batch ends, so a batch too large
/// for the GPU fails with a real `CUDA_ERROR_OUT_OF_MEMORY`. The batcher finds
/// the size that fits; the example checks that every item came back exactly
/// once, in order, and compares the size it settled on with the size
/// `cuMemGetInfo` predicts. It prints JSON.
@main
struct CUDABatchExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cuda-batch-example",
        abstract: "Run a CUDA workload that allocates device memory per item through the adaptive batcher.",
        discussion: "Loads libcuda.so.1, or the library named by HEADROOM_CUDA_LIBRARY.")

    @Option(help: "The CUDA device ordinal.")
    var device = 0

    @Option(help: "Device memory each item holds while its batch runs (e.g. 256MiB).", transform: parseSize)
    var perItem = ByteCount.mebibytes(256)

    @Option(help: "Items to process.")
    var items = 2000

    @Option(help: "Where the batcher starts: probe (double from 1 until a real OOM) or budget (from cuMemGetInfo).")
    var start = StartMode.probe

    enum StartMode: String, ExpressibleByArgument { case probe, budget }

    func validate() throws {
        guard perItem.bytes > 0 else { throw ValidationError("--per-item must be more than 0 bytes") }
        guard (1...10_000_000).contains(items) else { throw ValidationError("--items must be between 1 and 10000000") }
    }

    func run() async throws {
        let budget: CUDAMemoryBudget
        do {
            budget = try CUDAMemoryBudget(device: device, perItem: perItem, level: .extreme)
        } catch {
            throw ExampleFailure(description: "\(error)")
        }
        let context = budget.context
        let before = try context.memoryInfo()
        let predicted = Int(before.free.bytes / perItem.bytes)

        let completions = Mutex([Int](repeating: 0, count: items))
        let perItem = self.perItem
        let options = BatchingOptions(
            start: start == .probe ? .probe(from: 1) : .budget(try budget.current()),
            maximumSize: max(1, predicted * 2 + 2))
        let result = try await AdaptiveBatcher(options: options).process(Array(0..<items)) { batch in
            // Every item holds its block until the batch returns; a failed allocation frees the others.
            var blocks: [CUDADeviceMemory] = []
            blocks.reserveCapacity(batch.count)
            for _ in batch { blocks.append(try context.allocate(perItem)) }
            completions.withLock { counts in for item in batch { counts[item] += 1 } }
            return Array(batch)
        }

        let counts = completions.withLock { $0 }
        let report = result.report
        let succeeded = report.attempts.filter { $0.outcome == .succeeded }.map(\.size)
        let summary = Summary(
            device: device, perItemBytes: perItem.bytes, freeBytesBefore: before.free.bytes,
            totalBytes: before.total.bytes, predictedSize: predicted,
            settledSize: Self.mostCommon(succeeded.filter { $0 < items }) ?? report.bestSize,
            bestSize: report.bestSize, outOfMemoryCount: report.outOfMemoryCount,
            outOfMemoryCountUntilSettled: report.outOfMemoryCountUntilSettled,
            items: items, itemsLost: counts.count { $0 == 0 }, itemsRepeated: counts.count { $0 > 1 },
            outputsInOrder: result.outputs == Array(0..<items), batches: report.batches,
            sizeHistory: report.sizeHistory, seconds: report.seconds,
            freeBytesAfter: try context.memoryInfo().free.bytes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(summary), as: UTF8.self))
    }

    static func mostCommon(_ sizes: [Int]) -> Int? {
        Dictionary(sizes.map { ($0, 1) }, uniquingKeysWith: +).max { ($0.value, $0.key) < ($1.value, $1.key) }?.key
    }
}

/// What the run did, as JSON.
struct Summary: Encodable {
    var device: Int
    var perItemBytes: Int64
    var freeBytesBefore: Int64
    var totalBytes: Int64
    /// floor(free before the run ÷ per-item): the batch cuMemGetInfo says fits.
    var predictedSize: Int
    /// The size most batches ran at.
    var settledSize: Int
    var bestSize: Int
    var outOfMemoryCount: Int
    var outOfMemoryCountUntilSettled: Int?
    var items: Int
    var itemsLost: Int
    var itemsRepeated: Int
    var outputsInOrder: Bool
    var batches: Int
    var sizeHistory: [Int]
    var seconds: Double
    /// Free memory after the run: equal to before when every block was freed.
    var freeBytesAfter: Int64
}

struct ExampleFailure: Error, CustomStringConvertible {
    var description: String
}

func parseSize(_ text: String) throws -> ByteCount {
    do { return try ByteCount(parsing: text) } catch { throw ValidationError("\(error)") }
}
