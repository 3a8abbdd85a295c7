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

    @OptionGroup var probe: ProbeOptions

    func run() throws {
        let snapshot = try probe.snapshot(pid: pid?.value, includePSS: !noPSS)
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
