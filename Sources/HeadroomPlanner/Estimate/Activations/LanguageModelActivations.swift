/// Activations of decoders, encoders and encoder-decoders over token sequences.
enum LanguageModelActivations {
    /// The block of `a` at `bytes` per activation element.
    static func block(_ a: ModelArchitecture, bytes: Double, options: MemoryModelOptions) -> TransformerBlock {
        let heads = Double(a.attentionHeads ?? 0)
        let dropout = options.training && (a.attentionDropout ?? 0) > 0
        // A fused kernel with dropout falls back to PyTorch's math path on a CPU, which builds the scores.
        let mathFallback = dropout && options.device == .cpu
        return TransformerBlock(
            hidden: Double(a.hiddenSize ?? 0), heads: heads,
            keyValueWidth: Double(a.effectiveKeyValueHeads * a.effectiveHeadDimension),
            intermediate: Double(a.effectiveIntermediateSize), gated: a.hasGatedMLP,
            elementBytes: bytes, normUpcast: a.modelClass == .decoder && bytes < 4,
            materializesScores: options.attention.materializesScores || mathFallback,
            dropout: options.training && (a.hiddenDropout ?? 0) > 0, keepsFreedTensors: options.device == .cpu)
    }

    /// A decoder LM at `sequence` tokens (the prompt, when generating).
    static func decoder(_ a: ModelArchitecture, sequence s: Double, newTokens n: Double, bytes e: Double,
                        kvBytes: Double, options: MemoryModelOptions) -> ActivationProfile {
        let block = block(a, bytes: e, options: options)
        let layers = Double(a.layers ?? 0), h = Double(a.hiddenSize ?? 0), vocabulary = Double(a.vocabularySize ?? 0)
        let kvPerToken = 2 * layers * Double(a.effectiveKeyValueHeads * a.effectiveHeadDimension) * kvBytes
        // The residual stream's input to the block stays live beside it; embeddings and the final norm are one more.
        let layerPeak = s * block.inferencePeak(context: s)
        let forward = MemoryPhase("forward", [
            .init(.activations, perItem: Int64(bytes: layerPeak)),
        ])
        // Logits for every position, in the model's dtype, beside the final hidden states and their norm (in fp32).
        let logits = MemoryPhase("logits", [
            .init(.activations, perItem: Int64(bytes: 4 * s * h * 4)),
            .init(.logits, perItem: Int64(bytes: s * vocabulary * e)),
        ])
        // Generation keeps only the last position's logits (copied to fp32), and the cache for prompt + new tokens.
        // The prefill's workspace is counted beside the full cache: each decoding step concatenates every layer's
        // cache anew, and the allocator seldom gives the prefill's freed blocks back in time.
        let context = s + max(n, 1)
        let generate = MemoryPhase("generate", [
            .init(.kvCache, perItem: Int64(bytes: context * kvPerToken)),
            .init(.activations, perItem: Int64(bytes: layerPeak)),
            .init(.logits, perItem: Int64(bytes: vocabulary * (e + 4))),
        ])
        let inference = options.run == .forward ? [forward, logits] : [generate]
        let saved = layers * s * block.saved(context: s, recompute: options.recompute) + 2 * s * h * e
        // The logits kept in the output, the loss's fp32 log-softmax, and its gradient at the top of the backward pass.
        let lossTop = s * vocabulary * (e + 4 + 4)
        return ActivationProfile(inference: inference, saved: saved, lossTop: lossTop, inputs: 0)
    }

    /// An encoder (BERT-like) at `sequence` tokens, with its head.
    static func encoder(_ a: ModelArchitecture, sequence s: Double, bytes e: Double, options: MemoryModelOptions) -> ActivationProfile {
        let block = block(a, bytes: e, options: options)
        let layers = Double(a.layers ?? 0), h = Double(a.hiddenSize ?? 0)
        let embeddings = 3 * s * h * e
        var phases = [MemoryPhase("forward", [.init(.activations, perItem: Int64(bytes: max(s * block.inferencePeak(context: s), embeddings)))])]
        let head = headBytes(a, tokens: s, bytes: e)
        if head.output > 0 {
            phases.append(MemoryPhase("head", [.init(.activations, perItem: Int64(bytes: head.work)),
                                               .init(.logits, perItem: Int64(bytes: head.output))]))
        }
        let masks = options.training && (a.hiddenDropout ?? 0) > 0 ? s * h : 0
        let saved = layers * s * block.saved(context: s, recompute: options.recompute) + embeddings + masks + head.work
        return ActivationProfile(inference: phases, saved: saved, lossTop: head.output * (1 + 8 / e), inputs: 0)
    }

    /// The head's work (the transform before an LM head) and output bytes for `tokens` tokens.
    static func headBytes(_ a: ModelArchitecture, tokens s: Double, bytes e: Double) -> (work: Double, output: Double) {
        let h = Double(a.hiddenSize ?? 0)
        switch a.outputHead {
        case .languageModel: return (3 * s * h * e, s * Double(a.vocabularySize ?? 0) * e)
        case .classifier: return (h * e, Double(a.labels ?? 2) * e)
        case .segmentation, .none: return (0, 0)
        }
    }

    /// An encoder-decoder (T5, BART, Whisper): the encoder over `sequence` source tokens, the decoder's
    /// self-attention cache over the target and its cross-attention cache over the source.
    static func encoderDecoder(_ a: ModelArchitecture, sequence s: Double, target t: Double, bytes e: Double,
                               options: MemoryModelOptions) -> ActivationProfile {
        let block = block(a, bytes: e, options: options)
        let encoderLayers = Double(a.layers ?? 0), decoderLayers = Double(a.decoderLayers ?? a.layers ?? 0)
        let h = Double(a.hiddenSize ?? 0), vocabulary = Double(a.vocabularySize ?? 0)
        let kvWidth = Double(a.effectiveKeyValueHeads * a.effectiveHeadDimension)
        let selfCache = 2 * decoderLayers * kvWidth * t * e
        let crossCache = 2 * decoderLayers * kvWidth * s * e
        let encoded = s * h * e
        let outputs = options.run == .generate ? vocabulary * (e + 4) : t * vocabulary * e
        let phases = [
            MemoryPhase("encoder", [.init(.activations, perItem: Int64(bytes: s * block.inferencePeak(context: s)))]),
            MemoryPhase("decoder", [
                .init(.kvCache, perItem: Int64(bytes: selfCache + crossCache)),
                .init(.activations, perItem: Int64(bytes: encoded + t * block.inferencePeak(context: max(s, t)))),
                .init(.logits, perItem: Int64(bytes: outputs)),
            ]),
        ]
        let saved = encoderLayers * s * block.saved(context: s, recompute: options.recompute)
            + decoderLayers * t * (block.saved(context: t, recompute: options.recompute) + block.saved(context: s, recompute: options.recompute) / 2)
        return ActivationProfile(inference: phases, saved: saved, lossTop: t * vocabulary * (e + 8), inputs: 0,
                                 notes: ["encoder-decoder: \(Int64(s)) source and \(Int64(t)) target tokens; KV caches for self- and cross-attention, "
                                         + "activations of the larger of the encoder's and one decoder step's block (not checked against measurements)"])
    }
}
