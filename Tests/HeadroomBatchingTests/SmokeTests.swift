import HeadroomBatching
import HeadroomTestKit
import Testing

@Suite("AdaptiveBatcher smoke")
struct SmokeTests {
    @Test func settlesOnSimulatedDevice() async throws {
        let device = SimulatedDevice(.init(capacity: .gibibytes(10), fixed: .gibibytes(1), perItem: .mebibytes(100)))
        let items = Array(0..<5000)
        let batcher = AdaptiveBatcher(options: BatchingOptions(start: .probe(from: 1), maximumSize: 1024, now: { device.now }))
        let result = try await batcher.process(items) { batch in try device.process(batch) { $0 * 2 } }
        #expect(result.outputs == items.map { $0 * 2 })
        print(result.report.outOfMemoryCount, result.report.bestSize, device.largestFittingBatch(), result.report.sizeHistory.prefix(40))
    }
}
