import ArgumentParser
import HeadroomAdvisor
import HeadroomRun

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Read a model's files (headers only) and say what a run needs, what fits, and how to split it.",
        discussion: """
            MODEL is a .safetensors, .gguf or .onnx file, a model.safetensors.index.json, or a \
            directory holding one; a config.json beside the weights gives the architecture \
            (GGUF carries its own). No weight is loaded: planning takes milliseconds.

            The run is planned by the model's class: decoder LMs (forward, or generate: prefill, \
            KV cache, last-token logits), encoders (BERT, RoBERTa), encoder-decoders (T5, Whisper), \
            vision transformers (ViT), SegFormer, ConvNeXt and ResNet at --image-size, and ONNX \
            models from a liveness analysis of their graph. Its peak is the largest of its \
            phases: the forward pass and its output; generation's KV cache for prompt and new \
            tokens with the prefill's workspace; the top of the backward pass and the optimizer \
            step. On a GPU an allocator reserve (10%) and the CUDA context (512 MiB) come on top; \
            on a CPU, the framework's working memory (50 MiB). Two --measured points \
            replace the formulas with a fitted line. --engine vllm|llama.cpp says the largest \
            context those settings fit.
            """
    )

    @Argument(help: ArgumentHelp("The model file or directory.", valueName: "model"))
    var model: String

    @Option(name: .long, parsing: .unconditional, help: "Re-cast weights: fp32, fp16, bf16, int8 or int4 (default: as stored).")
    var dtype: Precision?

    @Option(name: .long, parsing: .unconditional, help: "The work: forward, generate or training (default: generate for decoder LMs, forward otherwise).")
    var mode: MemoryModelOptions.Run?

    @Flag(name: .long, help: "Plan training (the same as --mode training).")
    var training = false

    @Option(name: .long, parsing: .unconditional, help: "Where it runs: gpu or cpu (default: gpu when this machine has one, else cpu).")
    var device: MemoryModelOptions.Device?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Also give the estimate at exactly this batch size.", valueName: "n"))
    var batchSize: Int64?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Tokens per item, the prompt when generating (default: the model's context length, at most 4096).", valueName: "tokens"))
    var sequenceLength: Int64?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Tokens generated after the prompt (default 0).", valueName: "tokens"))
    var newTokens: Int64?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Image size of vision models: 1024 or HEIGHTxWIDTH (default: the config's image_size).", valueName: "size"))
    var imageSize: ImageSize?

    @Option(name: .long, parsing: .unconditional, help: "Attention: sdpa (default), flash or eager (eager builds heads × sequence² scores).")
    var attention: MemoryModelOptions.Attention = .sdpa

    @Option(name: .long, parsing: .unconditional, help: "Training's optimizer: adamw (default), sgd, sgd-momentum, adafactor or adam-8bit.")
    var optimizer: MemoryModelOptions.Optimizer = .adamw

    @Flag(name: .long, help: "Training with fp32 weights under 16-bit autocast (--dtype bf16 or fp16 gives the 16-bit type).")
    var mixedPrecision = false

    @Option(name: .long, parsing: .unconditional, help: "Training activations kept: none (default), selective or full recomputation.")
    var recompute: MemoryModelOptions.Recompute = .none

    @Option(name: .long, parsing: .unconditional, help: "KV cache type: f32, f16, bf16, fp8, q8_0 or q4_0 (default: the compute type, f16 for llama.cpp).")
    var kvDtype: KVCacheType?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Memory per item of a batch, replacing the computed activations (e.g. 300MiB).", valueName: "size"))
    var perItem: SizeArgument?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Runtime overhead (default: 512MiB for the CUDA context on a GPU, 50MiB on a CPU).", valueName: "size"))
    var overhead: SizeArgument?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Allocator reserve over live memory, in percent (default: 10 on a GPU, 0 on a CPU).", valueName: "percent"))
    var allocatorReserve: Double?

    @Option(name: .long, parsing: .unconditionalSingleValue, help: ArgumentHelp("Memory measured at a batch size, B:SIZE (repeat; two or more fit fixed + per-item × batch).", valueName: "B:size"))
    var measured: [MeasuredArgument] = []

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Plan for one GPU with this much free memory instead of this machine's GPUs.", valueName: "size"))
    var gpuMemory: SizeArgument?

    @OptionGroup(title: "Serving engines") var engine: EngineOptions

    @Option(name: .long, parsing: .unconditional, help: "Print resource requests for a scheduler: kubernetes or slurm.")
    var emit: SchedulerRequest.Kind?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @OptionGroup var levelOption: LevelOption
    @OptionGroup var probe: ProbeOptions

    func validate() throws {
        func check(_ value: Int64?, _ flag: String, _ range: ClosedRange<Int64>, _ unit: String) throws {
            if let value, !range.contains(value) {
                throw ValidationError("\(flag) takes \(range.lowerBound) to \(range.upperBound) \(unit); got \(value)")
            }
        }
        try check(sequenceLength, "--sequence-length", 1...(1 << 24), "tokens")
        try check(newTokens, "--new-tokens", 0...(1 << 24), "tokens")
        try check(batchSize, "--batch-size", 1...MemoryModel.maximumBatch, "items")
        if let imageSize, !(1...65_536).contains(imageSize.height) || !(1...65_536).contains(imageSize.width) {
            throw ValidationError("--image-size takes sides of 1 to 65536 pixels; got \(imageSize.height)x\(imageSize.width)")
        }
        if let allocatorReserve, !(0...100).contains(allocatorReserve) {
            throw ValidationError("--allocator-reserve takes a percentage from 0 to 100; got \(allocatorReserve)")
        }
        if training, let mode, mode != .training {
            throw ValidationError("--training and --mode \(mode.rawValue) disagree; give one")
        }
        if isTraining, let dtype, !dtype.isTrainable {
            throw ValidationError("--training needs --dtype fp32, fp16 or bf16; \(dtype.rawValue) weights cannot carry gradients")
        }
        if mixedPrecision, !isTraining {
            throw ValidationError("--mixed-precision plans training; add --training")
        }
        if !measured.isEmpty, Set(measured.map(\.point.batchSize)).count < 2 {
            throw ValidationError("--measured needs at least two different batch sizes, e.g. --measured 1:6.1GiB --measured 4:10.3GiB")
        }
        try engine.validate()
    }

    var isTraining: Bool { training || mode == .training }

    func run() throws {
        let inventory: ModelInventory
        do {
            inventory = try ModelInventory.load(path: model)
        } catch {
            throw CommandFailure(description: error.description)
        }
        let machine = try machine()
        let options = MemoryModelOptions(
            training: isTraining, precision: dtype, sequenceLength: sequenceLength, perItem: perItem?.value,
            runtimeOverhead: overhead?.value, allocatorReserve: allocatorReserve.map { $0 / 100 },
            recompute: recompute, measured: measured.map(\.point), run: mode, newTokens: newTokens ?? 0, image: imageSize,
            device: device ?? (machine.gpus.isEmpty && gpuMemory == nil ? .cpu : .gpu), attention: attention,
            optimizer: optimizer, mixedPrecision: mixedPrecision, kvCache: kvDtype)
        let planner: Planner
        do {
            planner = try Planner(inventory: inventory, options: options, level: levelOption.level)
        } catch {
            throw CommandFailure(description: error.description)
        }
        var report = planner.report(machine: machine, batch: batchSize, engine: engine.settings(kvCache: kvDtype))
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
