import ArgumentParser
import HeadroomAdvisor
import HeadroomRun

struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Print settings for ONNX Runtime, PyTorch, TensorFlow and JAX, fitted to this machine.",
        discussion: """
            Load them into a shell with:  eval "$(headroom env)"
            Or write a file for docker --env-file or python-dotenv:  headroom env --format dotenv > .env

            Frameworks read some settings themselves (PYTORCH_CUDA_ALLOC_CONF, \
            TF_FORCE_GPU_ALLOW_GROWTH, XLA_PYTHON_CLIENT_MEM_FRACTION, OMP_NUM_THREADS); \
            for the rest (ONNX Runtime's CUDA provider options, PyTorch's memory \
            fraction, TensorFlow's memory limit) a HEADROOM_* variable carries the \
            value and a comment shows the line of Python that applies it.

            Without a GPU only the CPU settings are printed.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case shell, dotenv, json
    }

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp(
        "Frameworks to configure: onnxruntime, torch, tensorflow, jax or all (several may follow one flag).",
        valueName: "framework"))
    var framework: [FrameworkChoice] = [.all]

    @Option(name: .long, parsing: .unconditional, help: "Output format: shell (export lines for eval), dotenv (KEY=value), json.")
    var format: Format = .shell

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Share of the GPU's total memory to allow, instead of the computed limit: 0.8, 80% or a size such as 20GiB.",
        valueName: "share"))
    var gpuFraction: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("The GPU to fit the settings to (default: the one with least free memory).", valueName: "index"))
    var gpu: Int?

    @OptionGroup var levelOption: LevelOption

    func validate() throws {
        if let gpu, gpu < 0 { throw ValidationError("--gpu takes a GPU index, 0 or more; got \(gpu)") }
        _ = try gpuShare()
    }

    /// `--gpu-fraction` parsed, with the parser's reason when it is not a share or a size.
    private func gpuShare() throws -> MemoryAmount? {
        do {
            return try gpuFraction.map(MemoryAmount.init(parsing:))
        } catch let error as ByteCountParseError {
            throw ValidationError("--gpu-fraction: \(error)")
        }
    }

    @OptionGroup var probe: ProbeOptions

    func run() throws {
        let snapshot = try probe.snapshot(includePSS: false)
        let advisor = Advisor(level: levelOption.level)
        let recommendations = advisor.recommend(for: snapshot)
        if let gpu, !recommendations.gpus.contains(where: { $0.index == gpu }) {
            let known = recommendations.gpus.map { String($0.index) }.joined(separator: ", ")
            throw CommandFailure(description: "--gpu \(gpu): no such GPU with readable memory" + (known.isEmpty ? " (none found)" : " (found: \(known))"))
        }
        let settings = advisor.frameworkSettings(FrameworkChoice.resolve(framework), from: recommendations,
                                                 gpuIndex: gpu, gpuShare: try gpuShare())
        switch format {
        case .shell: try Output.write(EnvFormatter.shell(settings))
        case .dotenv: try Output.write(EnvFormatter.dotenv(settings))
        case .json: try Output.write(try Output.json(settings))
        }
    }
}

/// A framework name or `all`.
enum FrameworkChoice: String, ExpressibleByArgument, CaseIterable {
    case onnxruntime, torch, tensorflow, jax, all

    static func resolve(_ choices: [FrameworkChoice]) -> Set<Framework> {
        choices.contains(.all) ? Set(Framework.allCases) : Set(choices.compactMap { Framework(rawValue: $0.rawValue) })
    }
}
