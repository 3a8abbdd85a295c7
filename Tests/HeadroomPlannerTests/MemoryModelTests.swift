import HeadroomPlanner
import Testing

@Suite("memory model formulas against hand-computed values")
struct MemoryModelTests {
    let overhead: Int64 = 512 << 20

    @Test("inference: KV cache, activation workspace, reserve and overhead")
    func inference() throws {
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(sequenceLength: 128))
        let estimate = model.estimate(batch: 3)
        // KV: 2 × 2 layers × 2 KV heads × 32 × 128 tokens × 2 bytes = 65,536 per item.
        #expect(estimate.part(.kvCache).bytes == 3 * 65_536)
        // 128 × (4·256 + 2·512) × 2 + 8 × 128² × 2 + 128 × 100 × 4 = 524,288 + 262,144 + 51,200.
        #expect(estimate.part(.activations).bytes == 3 * 837_632)
        #expect(estimate.part(.weights).bytes == 2000)
        let live: Int64 = 2000 + 3 * 65_536 + 3 * 837_632
        #expect(estimate.part(.allocatorReserve).bytes == live / 10)
        #expect(estimate.part(.runtimeOverhead).bytes == overhead)
        #expect(estimate.total.bytes == live + live / 10 + overhead)
        #expect(model.perItemBytes == 65_536 + 837_632)
    }

    @Test("the sequence defaults to the context length capped at 4096")
    func defaultSequence() throws {
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions())
        #expect(model.sequenceLength == 4096)
        #expect(model.estimate(batch: 1).part(.kvCache).bytes == 2 * 2 * 2 * 32 * 4096 * 2)
    }

    @Test("--dtype re-casts the weights", arguments: [(Precision.fp32, Int64(4004)), (.bf16, 2002), (.int8, 1001), (.int4, 501)])
    func recast(precision: Precision, bytes: Int64) throws {
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(parameters: 1001), options: MemoryModelOptions(precision: precision))
        #expect(model.estimate(batch: 1).part(.weights).bytes == bytes)
    }

    @Test("fp32 computes KV and activations in 4 bytes")
    func fp32Compute() throws {
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(precision: .fp32, sequenceLength: 128))
        #expect(model.estimate(batch: 1).part(.kvCache).bytes == 131_072)
    }

    @Test("training: 16 bytes per parameter and Korthikanti activations",
          arguments: [(MemoryModelOptions.Recompute.none, Int64(3_538_944)), (.selective, 2_228_224), (.full, 131_072)])
    func training(recompute: MemoryModelOptions.Recompute, activations: Int64) throws {
        let options = MemoryModelOptions(training: true, sequenceLength: 128, recompute: recompute)
        let estimate = try MemoryModel(inventory: PlannerFixtures.transformer(), options: options).estimate(batch: 2)
        #expect(estimate.part(.weights).bytes == 2000)
        #expect(estimate.part(.gradients).bytes == 2000)
        #expect(estimate.part(.optimizerStates).bytes == 12_000)
        // 2 layers × 128 × 256 × (34 + 5 × 8 × 128 / 256) = 65,536 × 54, per item.
        #expect(estimate.part(.activations).bytes == 2 * activations)
    }

    @Test("fp32 training keeps 4 + 4 + 8 bytes per parameter")
    func fp32Training() throws {
        let estimate = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(training: true, precision: .fp32)).estimate(batch: 1)
        #expect([estimate.part(.weights), estimate.part(.gradients), estimate.part(.optimizerStates)].map(\.bytes) == [4000, 4000, 8000])
    }

    @Test("training 4-bit weights is refused")
    func trainingInt4() {
        #expect(throws: MemoryModelError.self) {
            try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(training: true, precision: .int4))
        }
    }

    @Test("--per-item replaces the computed per-item terms")
    func perItem() throws {
        let model = try MemoryModel(inventory: PlannerFixtures.layered(), options: MemoryModelOptions(perItem: .mebibytes(300)))
        #expect(model.estimate(batch: 4).part(.perItem) == .mebibytes(1200))
        let bare = try MemoryModel(inventory: PlannerFixtures.layered(), options: MemoryModelOptions())
        #expect(bare.perItemBytes == 0)
        #expect(bare.notes.first?.contains("--per-item") == true)
    }

    @Test("measurements fit fixed + per-item × batch by least squares")
    func measured() throws {
        let points = [MeasuredPoint(batchSize: 1, memory: 5000), MeasuredPoint(batchSize: 3, memory: 9000), MeasuredPoint(batchSize: 5, memory: 13000)]
        let fit = try MeasuredFit(points: points)
        #expect(fit.fixed == 3000 && fit.perItem == 2000)
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(measured: points))
        #expect(model.estimate(batch: 10).total.bytes == 23_000)
        let gib = Double(1 << 30)
        let user = try MeasuredFit(points: [MeasuredPoint(batchSize: 1, memory: ByteCount(Int64(6.1 * gib))),
                                            MeasuredPoint(batchSize: 4, memory: ByteCount(Int64(10.3 * gib)))])
        #expect(abs(Double(user.perItem) - 1.4 * gib) < 2)
        #expect(abs(Double(user.fixed) - 4.7 * gib) < 2)
        #expect(throws: MemoryModelError.self) { try MeasuredFit(points: [MeasuredPoint(batchSize: 2, memory: 1)]) }
    }

    @Test("the largest batch is exact at the budget's edge")
    func largestBatch() throws {
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(sequenceLength: 128))
        for batch: Int64 in [1, 5, 37] {
            let total = model.estimate(batch: batch).total
            #expect(model.largestBatch(within: total) == batch)
            #expect(model.largestBatch(within: total - 1) == batch - 1)
        }
        #expect(model.largestBatch(within: .zero) == 0)
    }
}
