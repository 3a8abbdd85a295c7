import ArgumentParser
import HeadroomAdvisor
import HeadroomRun

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Read a model's files (headers only) and say what a run needs, what fits, and how to split it.",
        discussion: """
            MODEL is a .safetensors, .gguf or .onnx file, a model.safetensors.index.json, or a \
            directory holding one; a config.json beside the weights gives layers, heads and \
            sizes (GGUF carries its own). No weight is loaded: planning takes milliseconds.

            Memory is the sum of its parts: weights (as stored, or re-cast with --dtype), \
            per-item memory (inference: KV cache 2 × layers × kv_heads × head_dim × sequence × bytes \
            and an activation workspace; training: gradients, Adam states at 16 bytes per \
            parameter and Korthikanti activations), an allocator reserve (10%) and the runtime \
            overhead (CUDA context, 512 MiB). Two --measured points replace the formulas with \
            a fitted line.
            """
    )

    @Argument(help: ArgumentHelp("The model file or directory.", valueName: "model"))
    var model: String

    @Option(name: .long, parsing: .unconditional, help: "Re-cast weights: fp32, fp16, bf16, int8 or int4 (default: as stored).")
    var dtype: Precision?

    @Flag(name: .long, help: "Plan training with Adam instead of inference.")
    var training = false

    @Option(name: .long, parsing: .unconditional, help: "Training activations kept: none (default), selective or full recomputation.")
    var recompute: MemoryModelOptions.Recompute = .none

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Tokens per item (default: the model's context length, at most 4096).", valueName: "tokens"))
    var sequenceLength: Int64?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Memory per item of a batch, for models without a transformer config (e.g. 300MiB).", valueName: "size"))
    var perItem: SizeArgument?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Runtime overhead: CUDA context and workspaces (default 512MiB).", valueName: "size"))
    var overhead: SizeArgument?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Allocator reserve over live memory, in percent (default 10).", valueName: "percent"))
    var allocatorReserve: Double?

    @Option(name: .long, parsing: .unconditionalSingleValue, help: ArgumentHelp("Memory measured at a batch size, B:SIZE (repeat; two or more fit fixed + per-item × batch).", valueName: "B:size"))
    var measured: [MeasuredArgument] = []

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Plan for one GPU with this much free memory instead of this machine's GPUs.", valueName: "size"))
    var gpuMemory: SizeArgument?

    @Option(name: .long, parsing: .unconditional, help: "Print resource requests for a scheduler: kubernetes or slurm.")
    var emit: SchedulerRequest.Kind?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @OptionGroup var levelOption: LevelOption
    @OptionGroup var probe: ProbeOptions

    func validate() throws {
        if let sequenceLength, sequenceLength <= 0 || sequenceLength > 1 << 24 {
            throw ValidationError("--sequence-length takes 1 to 16777216 tokens; got \(sequenceLength)")
        }
        if let allocatorReserve, !(0...100).contains(allocatorReserve) {
            throw ValidationError("--allocator-reserve takes a percentage from 0 to 100; got \(allocatorReserve)")
        }
        if training, let dtype, !dtype.isTrainable {
            throw ValidationError("--training needs --dtype fp32, fp16 or bf16; \(dtype.rawValue) weights cannot carry gradients")
        }
        if !measured.isEmpty, Set(measured.map(\.point.batchSize)).count < 2 {
            throw ValidationError("--measured needs at least two different batch sizes, e.g. --measured 1:6.1GiB --measured 4:10.3GiB")
        }
    }

    func run() throws {
        let inventory: ModelInventory
        do {
            inventory = try ModelInventory.load(path: model)
        } catch {
            throw CommandFailure(description: error.description)
        }
        let options = MemoryModelOptions(
            training: training, precision: dtype, sequenceLength: sequenceLength, perItem: perItem?.value,
            runtimeOverhead: overhead?.value ?? MemoryModelOptions.defaultRuntimeOverhead,
            allocatorReserve: (allocatorReserve ?? MemoryModelOptions.defaultAllocatorReserve * 100) / 100,
            recompute: recompute, measured: measured.map(\.point))
        let planner: Planner
        do {
            planner = try Planner(inventory: inventory, options: options, level: levelOption.level)
        } catch {
            throw CommandFailure(description: error.description)
        }
        var report = planner.report(machine: try machine())
        if let emit { report.schedulerRequest = SchedulerRequest.render(report, as: emit) }
        if json {
            try Output.write(try Output.json(report))
        } else {
            try Output.write(PlanText.render(report))
        }
    }

    /// This machine's GPUs and RAM, or one GPU of `--gpu-memory`.
    private func machine() throws -> MachineResources {
        do {
            return try MachineResources.probe(root: SystemRoot(probe.systemRoot), gpuMemory: gpuMemory?.value)
        } catch {
            throw CommandFailure(description: "cannot read host memory: \(error)")
        }
    }
}
