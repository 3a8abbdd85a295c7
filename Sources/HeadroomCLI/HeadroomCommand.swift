import ArgumentParser

struct HeadroomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "headroom",
        abstract: "Make GPU and ML workloads fit in memory: what this machine has, and what to run with.",
        discussion: """
            Reads host RAM, the container's real limit (cgroup v1/v2), memory pressure, \
            the process tree and every NVIDIA GPU (through NVML, loaded at run time), \
            and turns them into settings for ONNX Runtime, PyTorch, TensorFlow and JAX. \
            `headroom plan` reads a model's files and says what a run needs and what fits; \
            `headroom tune` finds the largest batch size any program can run.

            Exit codes: 0 success, 1 a failure the message explains, 64 bad usage.
            """,
        version: HeadroomCommand.version,
        subcommands: [DiagnoseCommand.self, EnvCommand.self, PlanCommand.self, TuneCommand.self, WatchCommand.self, ServeCommand.self],
        defaultSubcommand: DiagnoseCommand.self
    )

    static let version = "0.1.0"
}
