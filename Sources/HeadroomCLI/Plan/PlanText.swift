import HeadroomAdvisor
import HeadroomRun

/// `headroom plan` for people: the model, a table by batch size, tiers, fits and split.
enum PlanText {
    static func columnName(_ part: MemoryEstimate.Part.Name) -> String {
        switch part {
        case .weights: "weights"
        case .gradients: "grads"
        case .optimizerStates: "adam"
        case .kvCache: "kv cache"
        case .activations: "activations"
        case .perItem, .measuredPerItem: "per item"
        case .measuredFixed: "fixed"
        case .allocatorReserve: "reserve"
        case .runtimeOverhead: "overhead"
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
        lines.append("Plan: \(s.mode.rawValue), weights \(s.precision)" + (s.sequenceLength.map { ", sequence \($0)" } ?? "")
            + (s.mode == .training ? ", recompute \(s.recompute.rawValue)" : "")
            + ", level \(s.level.rawValue) (\(Int(s.safetyMargin * 100))% of free memory)")
        lines.append("")
        lines += table(report.table)
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
        guard let first = estimates.first else { return [] }
        let names = first.parts.map(\.name)
        let widths = names.map { max(12, columnName($0).count + 2) }
        var header = pad("batch", 7, right: true)
        for (name, width) in zip(names, widths) { header += pad(columnName(name), width, right: true) }
        var lines = [header + pad("total", 12, right: true)]
        for estimate in estimates {
            var line = pad(String(estimate.batchSize), 7, right: true)
            for (name, width) in zip(names, widths) { line += pad(estimate.part(name).description, width, right: true) }
            lines.append(line + pad(estimate.total.description, 12, right: true))
        }
        return lines
    }

    static func machine(_ report: FitReport) -> [String] {
        var lines: [String] = []
        let m = report.thisMachine
        var host = "This machine: host RAM available \(m.hostAvailable)"
        if let container = m.containerAvailable { host += ", container headroom \(container)" }
        lines.append(host)
        if m.gpus.isEmpty { lines.append("  no GPU found") }
        for gpu in m.gpus {
            let fits = gpu.largestBatch > 0 ? "largest batch \(batch(gpu.largestBatch))" : "batch 1 does not fit"
            lines.append("  GPU \(gpu.index) \(gpu.name): free \(gpu.free), budget \(gpu.budget) → \(fits)")
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
