extension MemoryModel {
    /// The per-item profile of the model's class at the options' input size; `nil` when there is
    /// none (`--per-item` gives it as one term, an unclassified model has none), with a note saying why.
    mutating func activations(inventory: ModelInventory, architecture: ModelArchitecture?,
                              bytes e: Double) throws(MemoryModelError) -> ActivationProfile? {
        if let perItem = options.perItem {
            return ActivationProfile(inference: [MemoryPhase(run.rawValue, [.init(.perItem, perItem: perItem.bytes)])],
                                     saved: Double(perItem.bytes), lossTop: 0, inputs: 0)
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
        case .visionTransformer, .segformer, .convolutional:
            let side = architecture.vision?.imageSize ?? 224
            let image = options.image ?? ImageSize(height: side, width: side)
            self.image = image
            if run == .generate { notes.append("warning: a vision model does not generate: planned as one forward pass") }
            switch modelClass {
            case .visionTransformer:
                guard architecture.isTransformer else {
                    notes.append("vision transformer without layers, hidden size and heads: per-item memory left out; give --per-item SIZE")
                    return nil
                }
                return VisionActivations.visionTransformer(architecture, image: image, bytes: e, options: options)
            case .segformer:
                guard !(architecture.vision?.stageWidths.isEmpty ?? true) else {
                    notes.append("segformer without hidden_sizes in its config: per-item memory left out; give --per-item SIZE")
                    return nil
                }
                return VisionActivations.segformer(architecture, image: image, bytes: e, options: options)
            default:
                guard !(architecture.vision?.stageWidths.isEmpty ?? true) else {
                    notes.append("\(architecture.name ?? "convolutional model") without hidden_sizes in its config: per-item memory left out; give --per-item SIZE")
                    return nil
                }
                return VisionActivations.convolutional(architecture, image: image, bytes: e, options: options)
            }
        case .unclassified:
            let named = architecture.name.map { "model type '\($0)'" } ?? "this model"
            notes.append("cannot classify \(named) as a decoder, encoder, encoder-decoder or vision model: per-item memory left out; "
                         + "give --per-item SIZE, or --measured B:SIZE twice")
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
