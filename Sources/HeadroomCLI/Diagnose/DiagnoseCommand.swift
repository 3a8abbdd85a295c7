import ArgumentParser
import HeadroomAdvisor
import HeadroomRun

struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Report host, container, process and GPU memory, and what to run with.",
        discussion: """
            Sections: system, host memory, container, the process tree, GPUs, \
            recommendations and recommended settings. With --json the same figures \
            come as one JSON object (schemaVersion, host, container, process, gpus, \
            recommendations; sizes in bytes under keys ending in Bytes).

            In a container without the host's PIDs, GPU memory is matched to the \
            tree through the /dev/nvidiaN files its processes hold open; what cannot \
            be matched is reported, never counted as zero (docs/diagnosing.md). \
            Pod UIDs, container IDs and Slurm jobs come from each process's cgroup; \
            names only from --pod-names.

            NVML is loaded from libnvidia-ml.so.1, or from HEADROOM_NVML_LIBRARY.
            """
    )

    @Flag(name: .long, help: "Print JSON for scripts instead of the report for people.")
    var json = false

    @OptionGroup var levelOption: LevelOption

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Report this process and its descendants instead of headroom itself.", valueName: "pid"))
    var pid: ProcessID?

    @Flag(name: .long, help: "Skip PSS (proportional set size); reading it walks every mapping of every process.")
    var noPSS = false

    @OptionGroup var podNames: PodNamesOption

    @OptionGroup var probe: ProbeOptions

    func run() throws {
        let names = try podNames.load()
        var snapshot = try probe.snapshot(pid: pid?.value, includePSS: !noPSS)
        if let names { snapshot.process?.name(with: names) }
        if let pid, snapshot.process == nil {
            throw CommandFailure(description: "no process \(pid.value): \(snapshot.problems.first?.description ?? "it does not exist")")
        }
        let report = DiagnosticReport(snapshot: snapshot, level: levelOption.level)
        if json {
            try Output.write(try Output.json(report))
        } else {
            try Output.write(DiagnoseText(report: report).render())
        }
    }
}
