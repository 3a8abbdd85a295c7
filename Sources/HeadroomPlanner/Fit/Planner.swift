/// Builds a ``FitReport``: the memory model applied to batch sizes, tiers,
/// this machine, the GPU catalog and the split.
public struct Planner: Sendable {
    public var inventory: ModelInventory
    public var model: MemoryModel
    /// The same run on a GPU, for the catalog and this machine's GPUs when ``model`` plans a CPU.
    public var gpuModel: MemoryModel
    public var level: OptimizationLevel
    public var catalog: [CatalogGPU]
    /// The batch the comfortable tier is computed at.
    public var comfortableBatch: Int64
    /// GPUs on one node the catalog considers for "fits with N GPUs".
    public static let maximumGPUs = 8

    /// - Throws: ``MemoryModelError`` for options the memory model refuses.
    public init(inventory: ModelInventory, options: MemoryModelOptions, level: OptimizationLevel = .balanced,
                catalog: [CatalogGPU] = GPUCatalog.standard, comfortableBatch: Int64 = 4) throws(MemoryModelError) {
        self.inventory = inventory
        self.model = try MemoryModel(inventory: inventory, options: options)
        var onGPU = options
        onGPU.device = .gpu
        self.gpuModel = options.device == .gpu ? model : try MemoryModel(inventory: inventory, options: onGPU)
        self.level = level
        self.catalog = catalog
        self.comfortableBatch = max(1, comfortableBatch)
    }

    /// Minimum is batch 1 with nothing spare; recommended adds the level's
    /// headroom (÷ its margin: at the default balanced level ÷ 0.75, leaving a
    /// quarter for fragmentation, other processes and spikes); comfortable is the
    /// same headroom at the comfortable batch.
    public func tiers() -> FitReport.Tiers {
        let margin = level.safetyMargin
        let spare = Int(((1 - margin) * 100).rounded())
        let one = model.estimate(batch: 1).total
        return FitReport.Tiers(
            minimum: one, recommended: one * (1 / margin),
            comfortable: model.estimate(batch: comfortableBatch).total * (1 / margin), comfortableBatch: comfortableBatch,
            derivation: "minimum = total at batch 1; recommended = minimum ÷ \(margin.fixed(2)) (the \(level.rawValue) level's share, "
                + "\(spare)% left for fragmentation and other processes); comfortable = total at batch \(comfortableBatch) ÷ \(margin.fixed(2))")
    }

    /// GPUs of `budget` each needed at batch 1, weights and caches split evenly and the runtime overhead on each; `nil` above ``maximumGPUs``.
    public func gpuCount(budget: ByteCount) -> Int? {
        let one = gpuModel.estimate(batch: 1)
        let overhead = one.part(.runtimeOverhead)
        let shared = one.total - overhead
        for count in 1...Planner.maximumGPUs where overhead + ByteCount((shared.bytes / Int64(count)).addingSaturating(1)) <= budget {
            return count
        }
        return nil
    }

    /// The full report for `machine`, with the estimate at `batch` when one is asked for
    /// and the largest context of `engine` when one is given.
    public func report(machine: MachineResources, batch requested: Int64? = nil, engine: EngineSettings? = nil) -> FitReport {
        let catalogFits = catalog.map { gpu -> CatalogFit in
            let budget = MemoryBudget(free: gpu.usableMemory, level: level).usable
            let largest = gpuModel.largestBatch(within: budget)
            // Several Macs do not pool unified memory; several GPUs in one node split the model.
            let count = largest > 0 ? 1 : (gpu.isUnifiedMemory ? nil : gpuCount(budget: budget))
            let verdict: CatalogFit.Verdict = largest > 0 ? .fits : (count == nil ? .doesNotFit : .fitsWithSeveral)
            return CatalogFit(gpu: gpu, budget: budget, verdict: verdict, gpuCount: count, largestBatch: largest)
        }
        let biggest = catalogFits.map(\.largestBatch).max() ?? 0
        var table: [MemoryEstimate] = []
        var batch: Int64 = 1
        repeat {
            table.append(model.estimate(batch: batch))
            batch *= 2
        } while batch <= min(biggest, MemoryModel.maximumBatch)
        let gpus = machine.gpus.map { gpu in
            let budget = MemoryBudget(free: gpu.free, level: level).usable
            return MachineFit.GPU(index: gpu.index, name: gpu.name, free: gpu.free, budget: budget,
                                  largestBatch: gpuModel.largestBatch(within: budget))
        }
        var thisMachine = MachineFit(gpus: gpus, hostAvailable: machine.hostAvailable, containerAvailable: machine.containerAvailable)
        var notes = model.notes
        var split: LayerSplit?
        if model.options.device == .cpu {
            let budget = MemoryBudget(free: machine.memory.available, level: level).usable
            thisMachine.cpu = MachineFit.CPU(budget: budget, largestBatch: model.largestBatch(within: budget))
        } else {
            split = layerSplit(machine: machine, notes: &notes)
        }
        let summary = FitReport.ModelSummary(
            format: inventory.format, files: inventory.files, tensorCount: inventory.tensors.count,
            parameterCount: inventory.parameterCount, weights: ByteCount(inventory.weightBytes),
            bytesByType: inventory.bytesByType, architecture: inventory.architecture, graph: model.graph)
        let options = model.options
        let training = options.training
        let settings = FitReport.Settings(
            mode: training ? .training : .inference, precision: options.precision?.rawValue ?? "as stored",
            sequenceLength: model.sequenceLength, level: level, safetyMargin: level.safetyMargin,
            runtimeOverhead: options.effectiveRuntimeOverhead, allocatorReservePercent: options.effectiveAllocatorReserve * 100,
            recompute: options.recompute, measured: options.measured, run: model.run, modelClass: model.modelClass,
            device: options.device, runtimeOverheadSource: options.runtimeOverhead == nil ? options.device.overheadSource : "given with --overhead",
            attention: options.attention, newTokens: options.newTokens, imageSize: model.image,
            optimizer: training ? options.optimizer : nil, mixedPrecision: training ? options.mixedPrecision : nil,
            kvCache: options.kvCache)
        var engineFit: EngineFit?
        if let engine {
            engineFit = EngineFit.plan(engine, inventory: inventory, model: gpuModel, machine: machine, catalog: catalog, level: level)
            notes += engineFit?.notes ?? []
        }
        return FitReport(model: summary, settings: settings, fixed: ByteCount(model.fixedTerms.reduce(0) { $0.addingSaturating($1.bytes) }),
                         perItem: ByteCount(model.perItemBytes), batching: FitReport.BatchingFit(fixed: model.line.fixed, perItem: model.line.perItem),
                         table: table, estimate: requested.map { model.estimate(batch: $0) }, engine: engineFit, tiers: tiers(),
                         thisMachine: thisMachine, catalog: catalogFits, split: split, notes: notes)
    }
}
