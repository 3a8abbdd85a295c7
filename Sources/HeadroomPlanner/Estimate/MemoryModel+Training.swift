extension MemoryModel {
    /// Training's phases: the top of the backward pass (weights, optimizer state, saved activations,
    /// the loss's tensors) and the optimizer step (weights, gradients, state, the step's temporaries).
    /// The first step has no optimizer state until its step creates it.
    mutating func planTraining(inventory: ModelInventory, profile: ActivationProfile?) throws(MemoryModelError) {
        let compute = MemoryModel.storedComputeBytes(inventory)
        let precision = options.precision ?? (compute == 4 ? .fp32 : .bf16)
        guard precision.isTrainable else {
            throw MemoryModelError("--training needs fp32, fp16 or bf16 weights; \(precision.rawValue) weights cannot carry gradients")
        }
        let parameters = inventory.parameterCount
        // Mixed precision (autocast) keeps fp32 weights, gradients and state, and 16-bit copies of the weights.
        let width: Int64 = options.mixedPrecision ? 4 : Int64(precision.bytesPerParameter)
        let weights = MemoryPhase.Term(.weights, fixed: parameters.multipliedSaturating(by: width))
        let gradients = MemoryPhase.Term(.gradients, fixed: parameters.multipliedSaturating(by: width))
        let copies = MemoryPhase.Term(.weightCopies, fixed: options.mixedPrecision ? parameters.multipliedSaturating(by: 2) : 0)
        let states = MemoryPhase.Term(.optimizerStates, fixed: optimizerState(inventory, width: width))
        let step = MemoryPhase.Term(.optimizerStep, fixed: optimizerStep(inventory, width: width))
        let saved = MemoryPhase.Term(.activations, perItem: Int64(bytes: profile?.saved ?? 0))
        let loss = MemoryPhase.Term(.logits, perItem: Int64(bytes: profile?.lossTop ?? 0))
        let inputs = MemoryPhase.Term(.inputs, perItem: Int64(bytes: profile?.inputs ?? 0))
        // Gradients are counted whole at the top of the backward pass: they arrive while the activations are
        // released, and the allocator rarely has the activations' freed blocks ready for them (measured on a CPU).
        let backward = [weights, copies, gradients, saved, loss, inputs].filter { $0.fixed > 0 || $0.perItem > 0 }
        let stepTerms = [weights, gradients, states, step].filter { $0.fixed > 0 }
        phases = [MemoryPhase("backward", backward + (states.fixed > 0 ? [states] : [])), MemoryPhase("optimizer step", stepTerms)]
        firstStepPhases = [MemoryPhase("backward", backward), MemoryPhase("optimizer step", stepTerms)]
        if options.mixedPrecision {
            notes.append("mixed precision: fp32 weights, gradients and \(options.optimizer.rawValue) state, \(precision.rawValue) activations and weight copies")
        }
        notes.append("training keeps \(options.optimizer.rawValue) state of \(ByteCount(states.fixed)); the first step peaks at its "
                     + "backward pass before that state exists, later steps hold it throughout")
    }

    /// The optimizer's state for `width`-byte parameters.
    func optimizerState(_ inventory: ModelInventory, width: Int64) -> Int64 {
        let parameters = inventory.parameterCount
        switch options.optimizer {
        case .adamw: return parameters.multipliedSaturating(by: 2 * width)
        case .sgd: return 0
        case .sgdMomentum: return parameters.multipliedSaturating(by: width)
        case .adam8bit:
            // Two 1-byte moments, and two fp32 scales per 2,048-value block.
            return parameters.multipliedSaturating(by: 2).addingSaturating(parameters / 2048 * 8)
        case .adafactor:
            // Factored second moments: rows + columns of each matrix (its leading dimensions kept), vectors whole.
            return inventory.tensors.reduce(0) { total, tensor in
                let shape = tensor.shape
                guard shape.count >= 2 else { return total.addingSaturating(tensor.elementCount.multipliedSaturating(by: 4)) }
                let leading = shape.dropLast(2).reduce(Int64(1)) { $0.multipliedSaturating(by: $1) }
                let sides = shape[shape.count - 2].addingSaturating(shape[shape.count - 1])
                return total.addingSaturating(leading.multipliedSaturating(by: sides).multipliedSaturating(by: 4))
            }
        }
    }

    /// The step's temporaries: on a GPU, PyTorch's multi-tensor Adam holds one parameter-sized list
    /// (the square roots of the second moments); elsewhere, and for the other optimizers, a step works a
    /// tensor at a time and holds two temporaries of the largest one.
    func optimizerStep(_ inventory: ModelInventory, width: Int64) -> Int64 {
        let largest = inventory.tensors.map(\.elementCount).max() ?? 0
        if options.device == .gpu, options.optimizer == .adamw {
            return inventory.parameterCount.multipliedSaturating(by: width)
        }
        return options.optimizer == .sgd ? 0 : largest.multipliedSaturating(by: 2 * width)
    }
}
