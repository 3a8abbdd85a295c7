/// Turns a ``ModelInventory`` and ``MemoryModelOptions`` into memory per batch size.
///
/// A run is planned as a few phases, the moments when memory peaks: a forward
/// pass and its output; a generation's prefill and its last decoding step; the
/// top of a training step's backward pass and its optimizer step. Each phase
/// adds up terms that are fixed (weights, gradients, optimizer state) or grow
/// with the batch (activations, KV cache, logits, inputs), and a batch's peak is
/// its largest phase. The activations come from the model's class
/// (``ModelClass``): decoder, encoder, encoder-decoder, vision transformer,
/// SegFormer or convolutional network, each counted as the tensors PyTorch
/// holds at that moment. Then, over all of it, the allocator reserve (10% on a
/// GPU) and the runtime overhead (the CUDA context, 512 MiB; nothing on a CPU).
///
/// `--per-item` replaces the per-item terms; two or more `--measured` points
/// replace everything with a fitted line.
public struct MemoryModel: Sendable {
    public var options: MemoryModelOptions
    /// The phases whose largest is the peak at a batch size.
    public internal(set) var phases: [MemoryPhase] = []
    /// Training: the first step's phases, before the optimizer's state exists.
    public internal(set) var firstStepPhases: [MemoryPhase] = []
    /// The work planned: the one asked for, or the model's usual one.
    public internal(set) var run: MemoryModelOptions.Run
    /// The class the activations were planned as; `nil` without an architecture.
    public internal(set) var modelClass: ModelClass?
    /// The sequence length the per-item terms were computed for; `nil` where none applies.
    public internal(set) var sequenceLength: Int64?
    /// The image size the per-item terms were computed for; `nil` where none applies.
    public internal(set) var image: ImageSize?
    /// An ONNX model's graph analysis, when its activations came from the graph.
    public internal(set) var graph: ONNXGraphSummary?
    /// What the estimate had to leave out or assume, in words; warnings start with "warning: ".
    public internal(set) var notes: [String] = []

    /// - Throws: ``MemoryModelError`` for options that cannot be planned (training 4-bit weights, one measurement, an image size of 0).
    public init(inventory: ModelInventory, options: MemoryModelOptions) throws(MemoryModelError) {
        self.options = options
        let architecture = inventory.architecture
        modelClass = architecture?.modelClass
        run = options.run ?? (modelClass == .decoder ? .generate : .forward)
        if !options.measured.isEmpty {
            let fit = try MeasuredFit(points: options.measured)
            phases = [MemoryPhase("measured", [.init(.measuredFixed, fixed: fit.fixed), .init(.measuredPerItem, perItem: fit.perItem)])]
            notes.append("fitted to \(options.measured.count) measurements: \(ByteCount(fit.fixed)) + \(ByteCount(fit.perItem)) per item")
            if let contradiction = fit.contradiction { notes.append("warning: " + contradiction) }
            return
        }
        let compute = options.precision?.computeBytes ?? MemoryModel.storedComputeBytes(inventory)
        let profile = try activations(inventory: inventory, architecture: architecture, bytes: Double(compute))
        notes += profile?.notes ?? []
        if run == .training {
            try planTraining(inventory: inventory, profile: profile)
        } else {
            let weights = MemoryPhase.Term(.weights, fixed: MemoryModel.inferenceWeights(inventory, precision: options.precision))
            let inference = profile?.inference ?? [MemoryPhase("forward", [])]
            let inputs = MemoryPhase.Term(.inputs, perItem: Int64(bytes: profile?.inputs ?? 0))
            phases = inference.map { MemoryPhase($0.name, [weights] + $0.terms + (inputs.perItem > 0 ? [inputs] : []), largestBatch: $0.largestBatch) }
        }
    }

    /// Weights for inference: as stored, or re-cast with `--dtype`.
    static func inferenceWeights(_ inventory: ModelInventory, precision: Precision?) -> Int64 {
        guard let precision else { return inventory.weightBytes }
        return Int64(bytes: Double(inventory.parameterCount) * precision.bytesPerParameter)
    }

    /// 4 when most weights are stored in 32 or 64 bits, else 2.
    static func storedComputeBytes(_ inventory: ModelInventory) -> Int64 {
        let wide = inventory.tensors.filter { $0.type.blockSize == 1 && $0.type.blockBytes >= 4 }.reduce(Int64(0)) { $0.addingSaturating($1.elementCount) }
        return wide * 2 > inventory.parameterCount ? 4 : 2
    }
}

/// Options the memory model cannot plan for, in words.
public struct MemoryModelError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
