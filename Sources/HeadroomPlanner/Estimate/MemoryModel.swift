/// Turns a ``ModelInventory`` and ``MemoryModelOptions`` into memory per batch size.
///
/// Every term is either fixed or linear in the batch, so the model is
/// `total(b) = overhead + (1 + reserve) × (fixed + perItem × b)`:
///
/// - **weights**: bytes as stored, or parameters × the `--dtype` size.
/// - **inference, per item** (transformers, from the config):
///   - KV cache = 2 × layers × kv_heads × head_dim × sequence × bytes;
///   - activation workspace = the prefill of one sequence, one layer at a
///     time: sequence × (4·hidden + 2·ffn) × bytes for Q, K, V, the attention
///     output and the MLP's up and gate projections, plus heads × sequence² ×
///     bytes of attention scores, plus sequence × vocabulary × 4 bytes of fp32 logits;
///   - or `--per-item` for any model, which replaces both.
/// - **training**: weights, gradients and Adam's states (16 bytes per parameter:
///   with 16-bit weights 2 + 2 + 12 for the fp32 master copy and two fp32
///   moments; in fp32 4 + 4 + 8), and activations per item per layer after
///   Korthikanti et al. (2022): s·h·(34 + 5·a·s/h) bytes in 16-bit, s·h·34 with
///   selective recomputation, 2·s·h with full recomputation.
/// - **allocator reserve**: a share over all of the above (default 10%).
/// - **runtime overhead**: CUDA context and library workspaces (default 512 MiB).
///
/// With two or more `--measured` points a least-squares line replaces it all.
public struct MemoryModel: Sendable {
    public var options: MemoryModelOptions
    /// Terms independent of the batch, in bytes.
    public private(set) var fixedTerms: [(name: MemoryEstimate.Part.Name, bytes: Int64)] = []
    /// Terms for one item of a batch, in bytes.
    public private(set) var perItemTerms: [(name: MemoryEstimate.Part.Name, bytes: Int64)] = []
    /// The sequence length the per-item terms were computed for; `nil` where none applies.
    public private(set) var sequenceLength: Int64?
    /// What the estimate had to leave out or assume, in words.
    public private(set) var notes: [String] = []

    /// - Throws: ``MemoryModelError`` for options that cannot be planned (training 4-bit weights, one measurement).
    public init(inventory: ModelInventory, options: MemoryModelOptions) throws(MemoryModelError) {
        self.options = options
        if !options.measured.isEmpty {
            let fit = try MeasuredFit(points: options.measured)
            fixedTerms = [(.measuredFixed, fit.fixed)]
            perItemTerms = [(.measuredPerItem, fit.perItem)]
            notes.append("fitted to \(options.measured.count) measurements: \(ByteCount(fit.fixed)) + \(ByteCount(fit.perItem)) per item")
            if let contradiction = fit.contradiction { notes.append("warning: " + contradiction) }
            return
        }
        let parameters = inventory.parameterCount
        let storedBytes = inventory.weightBytes
        let compute = options.precision?.computeBytes ?? MemoryModel.storedComputeBytes(inventory)
        if options.training {
            let precision = options.precision ?? (compute == 4 ? .fp32 : .bf16)
            guard precision.isTrainable else {
                throw MemoryModelError("--training needs fp32, fp16 or bf16 weights; \(precision.rawValue) weights cannot carry gradients")
            }
            let width = Int64(precision.bytesPerParameter)
            fixedTerms = [(.weights, parameters.multipliedSaturating(by: width)),
                          (.gradients, parameters.multipliedSaturating(by: width)),
                          (.optimizerStates, parameters.multipliedSaturating(by: 16 - 2 * width))]
        } else if let precision = options.precision {
            let bytes = (Double(parameters) * precision.bytesPerParameter).rounded(.up)
            fixedTerms = [(.weights, bytes >= 9.2e18 ? .max : Int64(bytes))]
        } else {
            fixedTerms = [(.weights, storedBytes)]
        }
        if let perItem = options.perItem {
            perItemTerms = [(.perItem, perItem.bytes)]
            return
        }
        guard let architecture = inventory.architecture, architecture.isTransformer else {
            notes.append("no transformer hyper-parameters (config.json or GGUF metadata): per-item memory left out; give --per-item SIZE")
            return
        }
        let sequence = options.sequenceLength ?? min(architecture.maximumPositions ?? 2048, MemoryModelOptions.defaultSequenceCap)
        sequenceLength = sequence
        perItemTerms = options.training
            ? MemoryModel.trainingActivations(architecture, sequence: sequence, recompute: options.recompute)
            : MemoryModel.inferenceTerms(architecture, sequence: sequence, bytes: compute)
    }

    /// 4 when most weights are stored in 32 or 64 bits, else 2.
    static func storedComputeBytes(_ inventory: ModelInventory) -> Int64 {
        let wide = inventory.tensors.filter { $0.type.blockSize == 1 && $0.type.blockBytes >= 4 }.reduce(Int64(0)) { $0.addingSaturating($1.elementCount) }
        return wide * 2 > inventory.parameterCount ? 4 : 2
    }

    /// KV cache and activation workspace for one item.
    static func inferenceTerms(_ a: ModelArchitecture, sequence s: Int64, bytes: Int64) -> [(name: MemoryEstimate.Part.Name, bytes: Int64)] {
        let layers = a.layers ?? 0, hidden = a.hiddenSize ?? 0, heads = a.attentionHeads ?? 0
        let kv = [2, layers, a.effectiveKeyValueHeads, a.effectiveHeadDimension, s, bytes].reduce(Int64(1)) { $0.multipliedSaturating(by: $1) }
        let projections = s.multipliedSaturating(by: (4 * hidden).addingSaturating(2 * a.effectiveIntermediateSize)).multipliedSaturating(by: bytes)
        let scores = heads.multipliedSaturating(by: s).multipliedSaturating(by: s).multipliedSaturating(by: bytes)
        let logits = s.multipliedSaturating(by: a.vocabularySize ?? 0).multipliedSaturating(by: 4)
        return [(.kvCache, kv), (.activations, projections.addingSaturating(scores).addingSaturating(logits))]
    }

    /// Korthikanti et al.'s activation memory for one item, all layers.
    static func trainingActivations(_ a: ModelArchitecture, sequence s: Int64, recompute: MemoryModelOptions.Recompute) -> [(name: MemoryEstimate.Part.Name, bytes: Int64)] {
        let layers = Double(a.layers ?? 0), h = Double(a.hiddenSize ?? 0), heads = Double(a.attentionHeads ?? 0), s = Double(s)
        let perLayer: Double = switch recompute {
        case .none: s * h * (34 + 5 * heads * s / h)
        case .selective: s * h * 34
        case .full: 2 * s * h
        }
        let total = (perLayer * layers).rounded(.up)
        return [(.activations, total >= 9.2e18 ? .max : Int64(total))]
    }
}

/// Options the memory model cannot plan for, in words.
public struct MemoryModelError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
