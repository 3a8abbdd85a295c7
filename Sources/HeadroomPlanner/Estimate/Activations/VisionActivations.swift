/// Activations of vision models at one image size.
enum VisionActivations {
    /// A vision transformer: (height ÷ patch) × (width ÷ patch) patches plus a class token through encoder blocks.
    static func visionTransformer(_ a: ModelArchitecture, image: ImageSize, bytes e: Double, options: MemoryModelOptions) -> ActivationProfile {
        let patch = Double(a.vision?.patchSize ?? 16), channels = Double(a.vision?.channels ?? 3)
        let tokens = (Double(image.height) / patch).rounded(.down) * (Double(image.width) / patch).rounded(.down) + 1
        var profile = LanguageModelActivations.encoder(a, sequence: tokens, bytes: e, options: options)
        profile.inputs = channels * Double(image.pixels) * e
        profile.notes.append("vision transformer: \(Int64(tokens)) tokens from \(image) pixels in \(Int64(patch))-pixel patches")
        return profile
    }

    /// One SegFormer stage's geometry.
    struct Stage {
        var tokens: Double, reduced: Double, width: Double, heads: Double, depth: Double, mlp: Double
    }

    /// SegFormer's stages at `image`: each stage's stride divides the image, `sr_ratio`² divides its keys.
    static func segformerStages(_ v: VisionArchitecture, image: ImageSize) -> [Stage] {
        var height = image.height, width = image.width
        return v.stageWidths.indices.map { i in
            let step = v.stageStrides[safe: i] ?? (i == 0 ? 4 : 2)
            let patch = v.patchSizes[safe: i] ?? (i == 0 ? 7 : 3)
            // An overlapping patch embedding: kernel `patch`, padding patch ÷ 2.
            height = max(1, (height + 2 * (patch / 2) - patch) / step + 1)
            width = max(1, (width + 2 * (patch / 2) - patch) / step + 1)
            let ratio = v.reductionRatios[safe: i] ?? 1
            let reduced = Double(max(1, height / ratio) * max(1, width / ratio))
            return Stage(tokens: Double(height * width), reduced: reduced, width: Double(v.stageWidths[i]),
                         heads: Double(v.stageHeads[safe: i] ?? 1), depth: Double(v.stageDepths[safe: i] ?? 1),
                         mlp: Double(v.mlpRatios[safe: i] ?? 4))
        }
    }

    /// SegFormer: the hierarchical encoder (eager attention over keys reduced by `sr_ratio`², the Mix-FFN)
    /// and the all-MLP head, which projects every stage to `decoder_hidden_size` at a quarter of the image,
    /// concatenates them and fuses them: that concatenation is the largest moment at any image size.
    static func segformer(_ a: ModelArchitecture, image: ImageSize, bytes e: Double, options: MemoryModelOptions) -> ActivationProfile {
        let v = a.vision ?? VisionArchitecture()
        let stages = segformerStages(v, image: image)
        let labels = Double(a.labels ?? 150), decoder = Double(v.decoderWidth ?? 256)
        let quarter = stages.first?.tokens ?? 0
        var kept = 0.0, encoderPeak = 0.0, saved = 0.0
        for stage in stages {
            let n = stage.tokens, c = stage.width, r = stage.reduced
            // Attention: the block input, its norm, Q, the reduced K and V, scaled scores and softmax, the context.
            let attention = n * c * 4 + r * c * 4 + 2 * stage.heads * n * r
            // Mix-FFN: the expansion, its depth-wise convolution, GELU.
            let ffn = n * c * 3 + 2 * n * c * stage.mlp
            encoderPeak = max(encoderPeak, kept + max(attention, ffn) * e)
            saved += stage.depth * (n * c * 6 + r * c * 5 + stage.heads * n * r + 3 * n * c * stage.mlp) * e
            kept += n * c * e
        }
        // The head: four projections upsampled to a quarter of the image, kept while their concatenation and the
        // fusion's output exist. At batch 1 PyTorch's CPU convolution also makes a copy of the concatenation
        // for the 1×1 fusion (measured: it does not at larger batches).
        let head = kept + 9 * quarter * decoder * e
        let logits = quarter * labels * e
        saved += kept + quarter * decoder * 8 * e
        let inputs = Double(v.channels ?? 3) * Double(image.pixels) * e
        var phases = [
            MemoryPhase("encoder", [.init(.activations, perItem: Int64(bytes: encoderPeak))]),
            MemoryPhase("decode head", [.init(.activations, perItem: Int64(bytes: head)), .init(.logits, perItem: Int64(bytes: logits))]),
        ]
        if options.device == .cpu {
            phases.append(MemoryPhase("decode head", [.init(.activations, perItem: Int64(bytes: head + 4 * quarter * decoder * e)),
                                                      .init(.logits, perItem: Int64(bytes: logits))], largestBatch: 1))
        }
        // Training's loss upsamples the logits to the full image: those, the fp32 log-softmax and its gradient.
        let lossTop = logits + 3 * labels * Double(image.pixels) * 4
        let sizes = stages.map { "\(Int64($0.tokens))" }.joined(separator: "/")
        return ActivationProfile(inference: phases, saved: saved, lossTop: lossTop, inputs: inputs,
                                 notes: ["segformer: \(image) pixels, \(sizes) tokens per stage, head at \(Int64(quarter)) tokens × \(Int64(decoder))"])
    }

    /// ConvNeXt and ResNet: a stem at a quarter of the image, then stages that halve it; each block's
    /// widest moment is its expansion (ConvNeXt's 4× MLP, a bottleneck's wide output) beside its input.
    static func convolutional(_ a: ModelArchitecture, image: ImageSize, bytes e: Double, options: MemoryModelOptions) -> ActivationProfile {
        let v = a.vision ?? VisionArchitecture()
        let convnext = a.name?.lowercased().hasPrefix("convnext") ?? false
        let pixels = Double(image.pixels)
        var tokens = pixels / 16
        // ResNet's stem: a stride-2 convolution, norm and ReLU at half the image, before its pooling.
        let stem = convnext ? tokens * Double(v.stageWidths.first ?? 96) * 2 : pixels / 4 * Double(v.stemWidth ?? 64) * 3
        var peak = stem * e, saved = stem * e
        for (i, width) in v.stageWidths.enumerated() {
            if i > 0 { tokens /= 4 }
            let c = Double(width), depth = Double(v.stageDepths[safe: i] ?? 1)
            let block = convnext ? tokens * c * (3 + 2 * 4) : tokens * c * (3 + (v.blockType == "basic" ? 2 : 0.5))
            peak = max(peak, block * e)
            saved += depth * (convnext ? tokens * c * (4 + 3 * 4) : tokens * c * (v.blockType == "basic" ? 6 : 4.5)) * e
        }
        let inputs = Double(v.channels ?? 3) * pixels * e
        return ActivationProfile(inference: [MemoryPhase("forward", [.init(.activations, perItem: Int64(bytes: peak))])],
                                 saved: saved, lossTop: Double(a.labels ?? 1000) * 12, inputs: inputs,
                                 notes: ["\(convnext ? "convnext" : "resnet"): \(image) pixels over \(v.stageWidths.count) stages (not checked against measurements)"])
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
