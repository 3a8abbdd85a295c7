extension MemoryModel {
    /// The per-item profile of the model's class at the options' input size; `nil` when there is
    /// none (`--per-item` gives it as one term, an unclassified model has none), with a note saying why.
    mutating func activations(inventory: ModelInventory, architecture: ModelArchitecture?,
                              bytes e: Double) throws(MemoryModelError) -> ActivationProfile? {
        if let perItem = options.perItem {
            return ActivationProfile(inference: [MemoryPhase(run.rawValue, [.init(.perItem, perItem: perItem.bytes)])],
                                     saved: Double(perItem.bytes), lossTop: 0, inputs: 0)
        }
        if architecture == nil, let graph = inventory.graph {
            return graphActivations(graph)
        }
        guard let architecture, let modelClass else {
            notes.append("no hyper-parameters (config.json or GGUF metadata): per-item memory left out; give --per-item SIZE or --measured B:SIZE")
            return nil
        }
        checkInputs(architecture, modelClass: modelClass)
        switch modelClass {
        case .decoder, .encoder, .encoderDecoder:
            guard architecture.isTransformer else {
                notes.append("\(modelClass.displayName) without layers, hidden size and heads in its config: per-item memory left out; give --per-item SIZE")
                return nil
            }
            let s = options.sequenceLength ?? min(architecture.maximumPositions ?? 2048, MemoryModelOptions.defaultSequenceCap)
            sequenceLength = s
            if modelClass == .decoder {
                let kvBytes = options.kvCache?.bytesPerElement ?? e
                return LanguageModelActivations.decoder(architecture, sequence: Double(s), newTokens: Double(options.newTokens),
                                                        bytes: e, kvBytes: kvBytes, options: options)
            }
            if modelClass == .encoder {
                if run == .generate { notes.append("warning: an encoder does not generate: planned as one forward pass") }
                return LanguageModelActivations.encoder(architecture, sequence: Double(s), bytes: e, options: options)
            }
            let target = Double(options.newTokens > 0 ? options.newTokens : min(s, 128))
            return LanguageModelActivations.encoderDecoder(architecture, sequence: Double(s), target: target, bytes: e, options: options)
        case .visionTransformer:
            guard architecture.isTransformer else {
                notes.append("vision transformer without layers, hidden size and heads: per-item memory left out; give --per-item SIZE")
                return nil
            }
            return VisionActivations.visionTransformer(architecture, image: imageInput(architecture), bytes: e, options: options)
        case .segformer, .convolutional:
            guard !(architecture.vision?.stageWidths.isEmpty ?? true) else {
                notes.append("\(modelClass.displayName) without hidden_sizes in its config: per-item memory left out; give --per-item SIZE")
                return nil
            }
            let image = imageInput(architecture)
            return modelClass == .segformer
                ? VisionActivations.segformer(architecture, image: image, bytes: e, options: options)
                : VisionActivations.convolutional(architecture, image: image, bytes: e, options: options)
        case .unclassified:
            let named = architecture.name.map { "model type '\($0)'" } ?? "this model"
            notes.append("cannot classify \(named) as a decoder, encoder, encoder-decoder or vision model: per-item memory left out; "
                         + "give --per-item SIZE, or --measured B:SIZE twice")
            return nil
        }
    }

    /// The image a vision model is planned at: `--image-size`, or the config's `image_size` (224 without one).
    mutating func imageInput(_ architecture: ModelArchitecture) -> ImageSize {
        let side = architecture.vision?.imageSize ?? 224
        let image = options.image ?? ImageSize(height: side, width: side)
        self.image = image
        if run == .generate { notes.append("warning: a vision model does not generate: planned as one forward pass") }
        return image
    }

    /// An ONNX model's activations from a liveness walk over its graph at batch 1 and 2, with the
    /// graph's symbolic dimensions bound to `--image-size` and `--sequence-length`.
    mutating func graphActivations(_ graph: ONNXGraph) -> ActivationProfile? {
        let bindings = ONNXDimensionBindings(batch: 1, height: options.image?.height, width: options.image?.width,
                                             sequence: options.sequenceLength)
        image = options.image
        sequenceLength = options.sequenceLength
        do {
            let scaling = try graph.activationScaling(bindings, blockedConvolutions: options.device == .cpu)
            let one = scaling.batchOfOne
            self.graph = ONNXGraphSummary(nodes: graph.nodes.count, peak: one.peak, perItem: scaling.perItem, peakNode: one.node,
                                          largestTensor: one.largestTensor.map { "\($0.name) (\($0.bytes))" } ?? "none")
            if one.shapesFromValueInfoCount > 0 {
                notes.append("ONNX graph: \(one.shapesFromValueInfoCount) nodes' shapes taken from the model's value_info, not computed "
                             + "(first: \(one.shapesFromValueInfo.prefix(3).joined(separator: ", ")))")
            }
            // ONNX Runtime's arena (its default, kNextPowerOfTwo) extends itself by regions that double, so it holds
            // between one and two times the live peak: half again is counted (measured: 1.5–1.6× on a CPU).
            let phase = MemoryPhase("forward", [.init(.activations, fixed: scaling.fixed.bytes, perItem: scaling.perItem.bytes),
                                                .init(.arena, fixed: scaling.fixed.bytes / 2, perItem: scaling.perItem.bytes / 2)])
            if run == .training {
                notes.append("ONNX graph: training is planned from the inference graph's peak; the tensors autograd saves are not in the graph")
            }
            return ActivationProfile(inference: [phase], saved: Double(scaling.perItem.bytes), lossTop: 0, inputs: 0,
                                     notes: ["ONNX graph: the peak of live intermediate tensors at batch 1 is \(one.peak) at \(one.node)"
                                             + (options.device == .cpu ? ", with a blocked copy of each convolution's input as ONNX Runtime makes on a CPU" : "")
                                             + "; ONNX Runtime's fusions can lower it, its arena's rounding raise it"])
        } catch {
            self.graph = ONNXGraphSummary(nodes: graph.nodes.count, peak: .zero, perItem: .zero, peakNode: "", largestTensor: "",
                                          unresolved: error.description)
            notes.append("ONNX graph: \(error.description): per-item memory left out; "
                         + (error.kind == .unboundDimension ? "give --image-size or --sequence-length, or " : "give ") + "--per-item SIZE or --measured B:SIZE")
            return nil
        }
    }

    /// Warnings for inputs that cannot be right for this model.
    mutating func checkInputs(_ a: ModelArchitecture, modelClass: ModelClass) {
        if let length = options.sequenceLength {
            if !modelClass.readsTokens {
                notes.append("warning: --sequence-length \(length) ignored: \(modelClass.displayName)s read images; give --image-size")
            } else if let limit = a.maximumPositions, length + (modelClass == .decoder ? options.newTokens : 0) > limit {
                notes.append("warning: \(length + (modelClass == .decoder ? options.newTokens : 0)) tokens is longer than the model's context of \(limit) "
                             + "(max_position_embeddings): quality degrades or the run fails past it")
            }
        }
        if let image = options.image, !modelClass.readsImages {
            notes.append("warning: --image-size \(image) ignored: \(modelClass.displayName)s read tokens; give --sequence-length")
        }
        if options.newTokens > 0, modelClass != .decoder, modelClass != .encoderDecoder {
            notes.append("warning: --new-tokens ignored: only decoders and encoder-decoders generate")
        }
    }
}
