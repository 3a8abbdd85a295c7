import HeadroomAdvisor
import HeadroomRun

/// `headroom plan` for people: the model, a table by batch size, tiers, fits and split.
enum PlanText {
    static func columnName(_ part: MemoryEstimate.Part.Name) -> String {
        switch part {
        case .weights: "weights"
        case .gradients: "grads"
        case .optimizerStates: "optimizer"
        case .kvCache: "kv cache"
        case .activations: "activations"
        case .perItem, .measuredPerItem: "per item"
        case .measuredFixed: "fixed"
        case .allocatorReserve: "reserve"
        case .runtimeOverhead: "overhead"
        case .logits: "logits"
        case .inputs: "inputs"
        case .weightCopies: "16-bit copies"
        case .optimizerStep: "step"
        case .arena: "arena"
        }
    }

    static func render(_ report: FitReport) -> String {
        var lines: [String] = []
        let model = report.model
        let types = model.bytesByType.sorted { $0.value > $1.value }.map { "\($0.key) \(ByteCount($0.value))" }.joined(separator: ", ")
        lines.append("Model: \(model.files.first ?? "") (\(model.format.rawValue), \(model.tensorCount) tensors, "
            + "\(parameters(model.parameterCount)) parameters, \(model.weights): \(types))")
        if let a = model.architecture {
            var text = "Architecture: \(a.name ?? "unnamed")"
            if let layers = a.layers { text += ", \(layers) layers" }
            if let hidden = a.hiddenSize { text += ", hidden \(hidden)" }
            if let heads = a.attentionHeads { text += ", \(heads) heads (\(a.effectiveKeyValueHeads) KV, head \(a.effectiveHeadDimension))" }
            if let vocabulary = a.vocabularySize { text += ", vocab \(vocabulary)" }
            if let context = a.maximumPositions { text += ", context \(context)" }
            lines.append(text + " [\(a.source)]")
        }
        let s = report.settings
        var plan = "Plan: \(s.run.rawValue) on \(s.device.rawValue)"
        if let modelClass = s.modelClass { plan += ", \(modelClass.displayName)" }
        plan += ", weights \(s.precision)"
        if let length = s.sequenceLength { plan += ", sequence \(length)" + (s.newTokens > 0 ? " + \(s.newTokens) new" : "") }
        if let image = s.imageSize { plan += ", image \(image)" }
        if s.attention != .sdpa { plan += ", \(s.attention.rawValue) attention" }
        if let kv = s.kvCache { plan += ", KV \(kv.rawValue)" }
        if s.mode == .training {
            plan += ", \(s.optimizer?.rawValue ?? "adamw")" + (s.mixedPrecision == true ? ", mixed precision" : "") + ", recompute \(s.recompute.rawValue)"
        }
        lines.append(plan + ", level \(s.level.rawValue) (\(Int(s.safetyMargin * 100))% of free memory)")
        if s.measured.isEmpty { lines.append("Overhead: \(s.runtimeOverhead) — \(s.runtimeOverheadSource)") }
        if let graph = model.graph {
            lines.append(graph.unresolved.map { "Graph: \(graph.nodes) nodes; activations not computed: \($0)" }
                ?? "Graph: \(graph.nodes) nodes; peak of live tensors \(graph.peak) at batch 1 (at \(graph.peakNode)), \(graph.perItem) more per item")
        }
        lines.append("")
        let asked = report.estimate.flatMap { estimate in report.table.contains { $0.batchSize == estimate.batchSize } ? nil : estimate }
        lines += table((report.table + (asked.map { [$0] } ?? [])).sorted { $0.batchSize < $1.batchSize })
        if let estimate = report.estimate {
            var line = "Batch \(estimate.batchSize): \(estimate.total)" + (estimate.phase.map { ", peak at the \($0)" } ?? "")
            if let first = estimate.firstStep { line += "; the first step peaks at \(first)" }
            lines.append(line)
        }
        lines.append("")
        let t = report.tiers
        lines.append("Tiers: minimum \(t.minimum), recommended \(t.recommended), comfortable \(t.comfortable) (batch \(t.comfortableBatch))")
        lines.append("  \(t.derivation)")
        lines.append("")
        lines += machine(report)
        lines.append("")
        lines.append("GPU catalog (\(s.level.rawValue): \(Int(s.safetyMargin * 100))% of memory):")
        for fit in report.catalog {
            let verdict = switch fit.verdict {
            case .fits: "fits, largest batch \(batch(fit.largestBatch))"
            case .fitsWithSeveral: "fits with \(fit.gpuCount ?? 0) GPUs"
            case .doesNotFit: "does not fit (even on \(Planner.maximumGPUs))"
            }
            lines.append("  " + pad(fit.gpu.name, 36) + verdict)
        }
        if let engine = report.engine {
            lines.append("")
            lines += self.engine(engine)
        }
        if let split = report.split {
            lines.append("")
            lines.append("Split: " + split.summary)
        }
        for note in report.notes { lines.append("Note: " + note) }
        if let request = report.schedulerRequest {
            lines.append("")
            lines.append(request.hasSuffix("\n") ? String(request.dropLast()) : request)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func table(_ estimates: [MemoryEstimate]) -> [String] {
        guard !estimates.isEmpty else { return [] }
        // The phase that peaks can change with the batch, and with it the parts: one column for each part any row has.
        let present = Set(estimates.flatMap { $0.parts.map(\.name) })
        let names = MemoryEstimate.Part.Name.allCases.filter(present.contains)
        let widths = names.map { max(12, columnName($0).count + 2) }
        let phases = Set(estimates.compactMap(\.phase)).count > 1
        var header = pad("batch", 7, right: true)
        for (name, width) in zip(names, widths) { header += pad(columnName(name), width, right: true) }
        var lines = [header + pad("total", 12, right: true) + (phases ? "  peak at" : "")]
        for estimate in estimates {
            var line = pad(String(estimate.batchSize), 7, right: true)
            for (name, width) in zip(names, widths) {
                let present = estimate.parts.contains { $0.name == name }
                line += pad(present ? estimate.part(name).description : "—", width, right: true)
            }
            lines.append(line + pad(estimate.total.description, 12, right: true) + (phases ? "  " + (estimate.phase ?? "") : ""))
        }
        return lines
    }

    static func machine(_ report: FitReport) -> [String] {
        var lines: [String] = []
        let m = report.thisMachine
        var host = "This machine: host RAM available \(m.hostAvailable)"
        if let container = m.containerAvailable { host += ", container headroom \(container)" }
        lines.append(host)
        if let cpu = m.cpu {
            let fits = cpu.largestBatch > 0 ? "largest batch \(batch(cpu.largestBatch))" : "batch 1 does not fit"
            lines.append("  CPU run: budget \(cpu.budget) (the lower of host and container available × the level's margin) → \(fits)")
        }
        if m.gpus.isEmpty { lines.append("  no GPU found") }
        for gpu in m.gpus {
            let fits = gpu.largestBatch > 0 ? "largest batch \(batch(gpu.largestBatch))" : "batch 1 does not fit"
            lines.append("  GPU \(gpu.index) \(gpu.name): free \(gpu.free), budget \(gpu.budget) → \(fits)")
        }
        return lines
    }

    static func engine(_ fit: EngineFit) -> [String] {
        let settings = fit.settings
        var lines = ["\(settings.kind.rawValue): largest context that fits" + (fit.gpuLayers.map { " with \($0) of \(fit.totalLayers) layers on the GPU" } ?? "")
                     + " (checking \(fit.context) tokens):"]
        for target in fit.targets {
            var line = "  " + pad(target.gpuName, 36)
            if target.largestContext == 0 {
                line += "does not fit: weights \(target.weights) + activations \(target.activations) + overhead \(target.overhead) > \(target.budget)"
            } else {
                line += "\(target.largestContext) tokens (KV \(target.kvPerToken)/token)"
                if let sequences = target.concurrentSequences { line += ", \(sequences) sequences of \(fit.context) at once" }
                if !target.fits { line += "; \(fit.context) does not fit" }
            }
            lines.append(line)
        }
        return lines
    }

    static func batch(_ value: Int64) -> String {
        value >= MemoryModel.maximumBatch ? "\(value)+" : String(value)
    }

    static func parameters(_ count: Int64) -> String {
        let value = Double(count)
        if value >= 1e9 { return (value / 1e9).fixed(2) + " B" }
        if value >= 1e6 { return (value / 1e6).fixed(2) + " M" }
        if value >= 1e3 { return (value / 1e3).fixed(1) + " K" }
        return String(count)
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
