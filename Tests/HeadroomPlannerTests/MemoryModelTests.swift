import HeadroomPlanner
import Testing

@Suite("memory model formulas against hand-computed values")
struct MemoryModelTests {
    let overhead: Int64 = 512 << 20

    @Test("generate: the cache for prompt + new tokens, one block's workspace, the last logits, reserve and overhead")
    func generate() throws {
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(sequenceLength: 128, newTokens: 1))
        #expect(model.run == .generate)
        let estimate = model.estimate(batch: 3)
        // KV: 2 × 2 layers × 2 KV heads × 32 × 129 tokens × 2 bytes = 66,048 per item.
        #expect(estimate.part(.kvCache).bytes == 3 * 66_048)
        // Per token: the residual stream 2·256·2, plus the gated MLP 3·512·2 + 256·2 (larger than attention's
        // (4·256 + 3·64 + 2·256)·2 and the fp32 norm's 2·256·4): 4,608 × 128 tokens.
        #expect(estimate.part(.activations).bytes == 3 * 589_824)
        // The last position's logits in 16-bit and their fp32 copy: 100 × 6.
        #expect(estimate.part(.logits).bytes == 3 * 600)
        #expect(estimate.part(.weights).bytes == 2000)
        let live: Int64 = 2000 + 3 * (66_048 + 589_824 + 600)
        #expect(estimate.part(.allocatorReserve).bytes == live / 10)
        #expect(estimate.part(.runtimeOverhead).bytes == overhead)
        #expect(estimate.total.bytes == live + live / 10 + overhead)
        #expect(estimate.phase == "generate")
        #expect(model.perItemBytes == 66_048 + 589_824 + 600)
    }

    @Test("forward: the larger of one block's workspace and the logits for every position")
    func forward() throws {
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(sequenceLength: 128, run: .forward))
        let estimate = model.estimate(batch: 1)
        #expect(estimate.phase == "forward")
        #expect(estimate.part(.kvCache) == .zero)
        #expect(estimate.part(.activations).bytes == 589_824)
        // A 50,000-word vocabulary makes the logits, 128 × 50,000 × 2, the larger.
        var big = PlannerFixtures.small
        big.vocabularySize = 50_000
        let wide = ModelInventory(format: .safetensors, files: ["t"], tensors: [PlannerFixtures.tensor("w", elements: 1000)], architecture: big)
        let logits = try MemoryModel(inventory: wide, options: MemoryModelOptions(sequenceLength: 128, run: .forward)).estimate(batch: 1)
        #expect(logits.phase == "logits")
        #expect(logits.part(.logits).bytes == 128 * 50_000 * 2)
        #expect(logits.part(.activations).bytes == 4 * 128 * 256 * 4)
    }

    @Test("eager attention adds heads × sequence scores per token, softmax in fp32")
    func eager() throws {
        let sdpa = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(sequenceLength: 1024, run: .forward))
        let eager = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(sequenceLength: 1024, run: .forward, attention: .eager))
        // Attention becomes (4·256 + 3·64 + 2·256)·2 + 8 × 1024 × (2 + 4) = 52,608 per token, above the MLP's 3,584.
        #expect(eager.estimate(batch: 1).part(.activations).bytes == 1024 * (1024 + 52_608))
        #expect(sdpa.estimate(batch: 1).part(.activations).bytes == 1024 * 4608)
    }

    @Test("the sequence defaults to the context length capped at 4096")
    func defaultSequence() throws {
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions())
        #expect(model.sequenceLength == 4096)
        #expect(model.estimate(batch: 1).part(.kvCache).bytes == 2 * 2 * 2 * 32 * 4097 * 2)
    }

    @Test("--dtype re-casts the weights", arguments: [(Precision.fp32, Int64(4004)), (.bf16, 2002), (.int8, 1001), (.int4, 501)])
    func recast(precision: Precision, bytes: Int64) throws {
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(parameters: 1001), options: MemoryModelOptions(precision: precision))
        #expect(model.estimate(batch: 1).part(.weights).bytes == bytes)
    }

    @Test("fp32 computes KV and activations in 4 bytes; --kv-dtype sets the cache's")
    func fp32Compute() throws {
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(precision: .fp32, sequenceLength: 127))
        #expect(model.estimate(batch: 1).part(.kvCache).bytes == 131_072)
        let q8 = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(sequenceLength: 127, kvCache: .q8_0))
        #expect(q8.estimate(batch: 1).part(.kvCache).bytes == 2 * 2 * 64 * 128 * 34 / 32)
    }

    /// The fixture trained in fp32 at 128 tokens: per token and layer, two norms' input and output 2·2·256·4,
    /// Q, K, V widened, the attention output and the projection's input (3·256 + 2·256)·4, the gated MLP's
    /// four inner tensors 4·512·4: 17,408 bytes; × 2 layers × 128, plus the embeddings and final norm 2·128·256·4.
    static let savedPerItem: Int64 = 17_408 * 2 * 128 + 262_144
    /// Selective recomputation keeps the norms and attention's tensors: 9,216 bytes per token and layer.
    static let selectivePerItem: Int64 = 9216 * 2 * 128 + 262_144
    /// Full recomputation keeps each layer's input: 256 × 4 bytes per token and layer.
    static let fullPerItem: Int64 = 1024 * 2 * 128 + 262_144

    @Test("fp32 training: the top of the backward pass holds weights, gradients, AdamW's two moments, saved activations and the loss",
          arguments: [(MemoryModelOptions.Recompute.none, savedPerItem), (.selective, selectivePerItem), (.full, fullPerItem)])
    func training(recompute: MemoryModelOptions.Recompute, saved: Int64) throws {
        let options = MemoryModelOptions(training: true, precision: .fp32, sequenceLength: 128, recompute: recompute)
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(), options: options)
        let estimate = model.estimate(batch: 2)
        #expect(estimate.phase == "backward")
        #expect([estimate.part(.weights), estimate.part(.gradients), estimate.part(.optimizerStates)].map(\.bytes) == [4000, 4000, 8000])
        #expect(estimate.part(.activations).bytes == 2 * saved)
        // The logits kept in the output, the fp32 log-softmax and its gradient: 128 × 100 × (4 + 8).
        #expect(estimate.part(.logits).bytes == 2 * 153_600)
        // The first step has no optimizer state during its backward pass.
        let live = 16_000 + 2 * (saved + 153_600)
        #expect(estimate.firstStep?.bytes == (live - 8000) + (live - 8000) / 10 + overhead)
    }

    @Test("the optimizer step decides when activations are small: weights, gradients, state and the step's temporaries")
    func optimizerStep() throws {
        var options = MemoryModelOptions(training: true, precision: .fp32, sequenceLength: 1, recompute: .full)
        options.perItem = ByteCount(1)
        let estimate = try MemoryModel(inventory: PlannerFixtures.transformer(), options: options).estimate(batch: 1)
        #expect(estimate.phase == "optimizer step")
        // On a GPU, multi-tensor AdamW holds one parameter-sized temporary.
        #expect(estimate.part(.optimizerStep).bytes == 4000)
    }

    @Test("optimizer state per optimizer", arguments: [
        (MemoryModelOptions.Optimizer.adamw, Int64(8000)), (.sgd, 0), (.sgdMomentum, 4000), (.adafactor, 4000), (.adam8bit, 2000),
    ])
    func optimizers(optimizer: MemoryModelOptions.Optimizer, state: Int64) throws {
        let options = MemoryModelOptions(training: true, precision: .fp32, sequenceLength: 16, optimizer: optimizer)
        let model = try MemoryModel(inventory: PlannerFixtures.transformer(), options: options)
        let held = model.phases.flatMap(\.terms).filter { $0.name == .optimizerStates }.map(\.fixed).max() ?? 0
        #expect(held == state)
    }

    @Test("Adafactor keeps rows + columns of each matrix")
    func adafactorMatrices() throws {
        let matrix = TensorInfo(name: "w", type: PlannerFixtures.f16, shape: [3, 100, 200], elementCount: 60_000, byteCount: 120_000)
        let inventory = ModelInventory(format: .safetensors, files: ["t"], tensors: [matrix], architecture: PlannerFixtures.small)
        let model = try MemoryModel(inventory: inventory, options: MemoryModelOptions(training: true, sequenceLength: 16, optimizer: .adafactor))
        let held = try #require(model.phases.flatMap(\.terms).first { $0.name == .optimizerStates }).fixed
        #expect(held == Int64(3 * (100 + 200) * 4))
    }

    @Test("mixed precision: fp32 weights, gradients and state, 16-bit activations and weight copies")
    func mixedPrecision() throws {
        let options = MemoryModelOptions(training: true, precision: .bf16, sequenceLength: 128, mixedPrecision: true)
        let estimate = try MemoryModel(inventory: PlannerFixtures.transformer(), options: options).estimate(batch: 1)
        #expect([estimate.part(.weights), estimate.part(.gradients), estimate.part(.optimizerStates), estimate.part(.weightCopies)].map(\.bytes)
                == [4000, 4000, 8000, 2000])
        let pure = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(training: true, precision: .bf16, sequenceLength: 128))
        #expect(pure.estimate(batch: 1).part(.optimizerStates).bytes == 4000)
    }

    @Test("a CPU plan has no CUDA context and no allocator reserve")
    func cpu() throws {
        let estimate = try MemoryModel(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(sequenceLength: 128, device: .cpu)).estimate(batch: 1)
        #expect(estimate.part(.allocatorReserve) == .zero)
        #expect(estimate.part(.runtimeOverhead) == MemoryModelOptions.defaultCPUOverhead)
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
        var unknown = PlannerFixtures.small
        unknown.name = "wav2vec2"
        let inventory = ModelInventory(format: .safetensors, files: ["t"], tensors: [PlannerFixtures.tensor("w", elements: 10)], architecture: unknown)
        let unclassified = try MemoryModel(inventory: inventory, options: MemoryModelOptions())
        #expect(unclassified.modelClass == .unclassified)
        #expect(unclassified.perItemBytes == 0)
        #expect(unclassified.notes.contains { $0.contains("cannot classify") && $0.contains("--measured") })
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
