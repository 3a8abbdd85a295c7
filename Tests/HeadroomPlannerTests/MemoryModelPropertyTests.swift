import HeadroomPlanner
import HeadroomTestKit
import Testing

@Suite("memory model properties")
struct MemoryModelPropertyTests {
    /// A random architecture of `modelClass`, its sizes anywhere from 1 to the largest a config may give.
    static func architecture(_ modelClass: ModelClass, _ random: inout SeededGenerator) -> ModelArchitecture {
        func size() -> Int64 { Bool.random(using: &random) ? Int64.random(in: 1...4096, using: &random) : Int64.random(in: 1...ModelArchitecture.maximumValue, using: &random) }
        func sizes() -> [Int64] { (0..<Int.random(in: 0...5, using: &random)).map { _ in size() } }
        let names: [ModelClass: String] = [.decoder: "llama", .encoder: "bert", .encoderDecoder: "t5", .visionTransformer: "vit",
                                           .segformer: "segformer", .convolutional: "resnet", .unclassified: "wav2vec2"]
        let vision = VisionArchitecture(imageSize: size(), channels: size(), patchSize: size(), stageWidths: sizes(), stageDepths: sizes(),
                                        stageStrides: sizes(), patchSizes: sizes(), reductionRatios: sizes(), stageHeads: sizes(),
                                        mlpRatios: sizes(), decoderWidth: size(), stemWidth: size())
        return ModelArchitecture(name: names[modelClass], layers: size(), hiddenSize: size(), attentionHeads: size(), keyValueHeads: size(),
                                 headDimension: size(), intermediateSize: size(), vocabularySize: size(), maximumPositions: size(),
                                 source: "test", decoderLayers: size(), labels: size(), vision: vision,
                                 attentionDropout: Double.random(in: 0...1, using: &random), hiddenDropout: Double.random(in: 0...1, using: &random))
    }

    @Test("for any architecture and options: no trap, every part at least zero, the total never falls as the batch grows")
    func anyInput() throws {
        var random = SeededGenerator(seed: 13)
        for _ in 0..<400 {
            let modelClass = ModelClass.allCases.randomElement(using: &random)!
            let architecture = Self.architecture(modelClass, &random)
            #expect(architecture.modelClass == modelClass)
            let elements = Int64.random(in: 1...(1 << 40), using: &random)
            let tensor = TensorInfo(name: "w", type: ElementType(name: "F32", blockBytes: 4), shape: [elements], elementCount: elements, byteCount: elements * 4)
            let inventory = ModelInventory(format: .safetensors, files: ["m"], tensors: [tensor], architecture: architecture)
            let side = Int64.random(in: 1...65_536, using: &random)
            let options = MemoryModelOptions(
                sequenceLength: Bool.random(using: &random) ? Int64.random(in: 1...(1 << 24), using: &random) : nil,
                run: MemoryModelOptions.Run.allCases.randomElement(using: &random), newTokens: Int64.random(in: 0...(1 << 24), using: &random),
                image: ImageSize(height: side, width: Int64.random(in: 1...65_536, using: &random)),
                device: MemoryModelOptions.Device.allCases.randomElement(using: &random)!,
                attention: MemoryModelOptions.Attention.allCases.randomElement(using: &random)!,
                optimizer: MemoryModelOptions.Optimizer.allCases.randomElement(using: &random)!,
                mixedPrecision: Bool.random(using: &random), kvCache: KVCacheType.allCases.randomElement(using: &random))
            let model = try MemoryModel(inventory: inventory, options: options)
            var previous = ByteCount.zero
            for batch: Int64 in [1, 2, 3, 64, MemoryModel.maximumBatch] {
                let estimate = model.estimate(batch: batch)
                #expect(estimate.parts.allSatisfy { $0.size >= .zero })
                #expect(estimate.total >= previous, "\(modelClass) batch \(batch)")
                previous = estimate.total
            }
            _ = model.largestBatch(within: .gibibytes(80))
            // The batcher's line is never below the estimate (rounding to whole bytes of doubles aside).
            let line = model.line, three = model.estimate(batch: 3).total
            let onLine = line.fixed.bytes.addingSaturating(line.perItem.bytes.multipliedSaturating(by: 3))
            #expect(Double(onLine) + 8 >= Double(three.bytes) * (1 - 1e-12))
        }
    }
}
