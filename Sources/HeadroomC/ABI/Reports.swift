import HeadroomAdvisor

/// This process's snapshot, or the failure the message explains.
func snapshot(includePSS: Bool) throws -> MemorySnapshot {
    do {
        return try SystemProbe().snapshot(includePSS: includePSS)
    } catch {
        throw CallError.failed("cannot read host memory: \(error)")
    }
}

@_cdecl("hr_diagnose_json")
public func hr_diagnose_json(_ level: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    call {
        out?.pointee = nil
        let level = try JSONOutput.level(string(level))
        try give(try JSONOutput.encode(DiagnosticReport(snapshot: try snapshot(includePSS: true), level: level)), to: out)
    }
}

@_cdecl("hr_settings_json")
public func hr_settings_json(_ framework: UnsafePointer<CChar>?, _ level: UnsafePointer<CChar>?,
                             _ gpuFraction: UnsafePointer<CChar>?, _ gpuIndex: Int32,
                             _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    call {
        out?.pointee = nil
        let level = try JSONOutput.level(string(level))
        let frameworks: Set<Framework>
        switch string(framework) {
        case nil, "all": frameworks = Set(Framework.allCases)
        case let name?:
            guard let one = Framework(rawValue: name) else {
                throw CallError.argument("framework '\(name)' is not one of onnxruntime, torch, tensorflow, jax, all")
            }
            frameworks = [one]
        }
        let share: MemoryAmount?
        do {
            share = try string(gpuFraction).map(MemoryAmount.init(parsing:))
        } catch {
            throw CallError.argument("gpu_fraction: \(error)")
        }
        let advisor = Advisor(level: level)
        let recommendations = advisor.recommend(for: try snapshot(includePSS: false))
        let index = gpuIndex < 0 ? nil : Int(gpuIndex)
        if let index, !recommendations.gpus.contains(where: { $0.index == index }) {
            throw CallError.argument("GPU \(index): no such GPU with readable memory")
        }
        let settings = advisor.frameworkSettings(frameworks, from: recommendations, gpuIndex: index, gpuShare: share)
        try give(try JSONOutput.encode(settings), to: out)
    }
}

/// `options_json` of `hr_plan_json`.
struct PlanOptions: Decodable {
    var training: Bool?
    var dtype: String?
    var sequenceLength: Int64?
    var perItemBytes: Int64?
    var gpuMemoryBytes: Int64?
    var level: String?
    var mode: MemoryModelOptions.Run?
    var device: MemoryModelOptions.Device?
    var batchSize: Int64?
    var newTokens: Int64?
    var imageSize: String?
    var attention: MemoryModelOptions.Attention?
    var optimizer: MemoryModelOptions.Optimizer?
    var mixedPrecision: Bool?
    var kvDtype: KVCacheType?
}

@_cdecl("hr_plan_json")
public func hr_plan_json(_ path: UnsafePointer<CChar>?, _ optionsJSON: UnsafePointer<CChar>?,
                         _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    call {
        out?.pointee = nil
        guard let path = string(path), !path.isEmpty else { throw CallError.argument("path is NULL or empty") }
        let given = try JSONOutput.decode(PlanOptions.self, from: string(optionsJSON), what: "options_json")
        let level = try JSONOutput.level(given?.level)
        let precision = try given?.dtype.map { name in
            guard let precision = Precision(rawValue: name) else {
                throw CallError.argument("dtype '\(name)' is not one of fp32, fp16, bf16, int8, int4")
            }
            return precision
        }
        if let length = given?.sequenceLength, length <= 0 || length > 1 << 24 {
            throw CallError.argument("sequenceLength takes 1 to 16777216 tokens; got \(length)")
        }
        for (name, value) in [("perItemBytes", given?.perItemBytes), ("gpuMemoryBytes", given?.gpuMemoryBytes)] {
            if let value, value <= 0 { throw CallError.argument("\(name) must be above zero; got \(value)") }
        }
        if let batch = given?.batchSize, !(1...MemoryModel.maximumBatch).contains(batch) {
            throw CallError.argument("batchSize takes 1 to \(MemoryModel.maximumBatch); got \(batch)")
        }
        if let tokens = given?.newTokens, !(0...(1 << 24)).contains(tokens) {
            throw CallError.argument("newTokens takes 0 to 16777216; got \(tokens)")
        }
        let image = try given?.imageSize.map { text in
            guard let image = ImageSize(parsing: text), (1...65_536).contains(image.height), (1...65_536).contains(image.width) else {
                throw CallError.argument("imageSize '\(text)' is not a size such as 1024 or 512x768")
            }
            return image
        }
        let inventory: ModelInventory
        do {
            inventory = try ModelInventory.load(path: path)
        } catch {
            throw CallError.failed("\(error)")
        }
        let machine: MachineResources
        do {
            machine = try MachineResources.probe(gpuMemory: given?.gpuMemoryBytes.map { ByteCount($0) })
        } catch {
            throw CallError.failed("cannot read host memory: \(error)")
        }
        let options = MemoryModelOptions(
            training: given?.training ?? false, precision: precision, sequenceLength: given?.sequenceLength,
            perItem: given?.perItemBytes.map { ByteCount($0) }, run: given?.mode, newTokens: given?.newTokens ?? 0, image: image,
            device: given?.device ?? (machine.gpus.isEmpty ? .cpu : .gpu), attention: given?.attention ?? .sdpa,
            optimizer: given?.optimizer ?? .adamw, mixedPrecision: given?.mixedPrecision ?? false, kvCache: given?.kvDtype)
        let planner: Planner
        do {
            planner = try Planner(inventory: inventory, options: options, level: level)
        } catch {
            throw CallError.argument("\(error)")
        }
        try give(try JSONOutput.encode(planner.report(machine: machine, batch: given?.batchSize)), to: out)
    }
}

@_cdecl("hr_is_out_of_memory")
public func hr_is_out_of_memory(_ message: UnsafePointer<CChar>?, _ typeName: UnsafePointer<CChar>?,
                                _ result: UnsafeMutablePointer<Int32>?) -> Int32 {
    call {
        let result = try required(result, "result")
        result.pointee = OutOfMemoryClassifier().matches(message: string(message), typeName: string(typeName)) ? 1 : 0
    }
}
