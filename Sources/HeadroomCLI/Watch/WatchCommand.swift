import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import HeadroomAdvisor
import HeadroomRun

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run a command (or attach to a process) and watch its process tree's RAM and VRAM over time.",
        usage: """
            headroom watch [<options>] -- <command> [<argument>...]
            headroom watch [<options>] --pid <pid>
            """,
        discussion: """
            Starts the command with its arguments as they are (no shell), samples the \
            host, the container, memory pressure, the command's whole process tree and \
            every GPU (per-process VRAM matched to the tree) at --interval, and shows a \
            status line on standard error. At the end it prints a summary: duration, \
            peak tree RSS and PSS, peak VRAM per GPU with when it happened, the \
            container's peak and OOM kills, CPU time, and whether memory grew like a \
            leak. SIGTERM and SIGHUP are passed on to the command, and Ctrl-C reaches \
            it as usual; headroom exits with the command's status (128 + N when signal \
            N killed it; 127 when it cannot be found).

              headroom watch --chart run.svg --report run.html -- python train.py
            """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("Time between samples: 500ms (default), 2s, down to 10ms.", valueName: "duration"))
    var interval: Interval = Interval(milliseconds: 500)

    @Option(parsing: .unconditional, help: ArgumentHelp("Watch a running process and its descendants instead of starting a command.",
                               valueName: "pid"))
    var pid: ProcessID?

    @Option(parsing: .unconditional, help: ArgumentHelp("Write every sample to a CSV file as the run goes.", valueName: "file"))
    var timeline: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Write every sample and the summary to a JSON file.", valueName: "file"))
    var json: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Write a chart of RAM and VRAM over time (SVG).", valueName: "file"))
    var chart: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Write the chart and the summary as one HTML page.", valueName: "file"))
    var report: String?

    @Flag(help: "Read PSS too (smaps_rollup; costs more than RSS per sample).")
    var pss = false

    @Flag(name: .customLong("no-gpu"), help: "Do not read GPUs.")
    var noGPU = false

    @Option(name: .customLong("status-every"), parsing: .unconditional, help: ArgumentHelp(
        "When standard error is not a terminal, print a status line this often (0 for never).", valueName: "seconds"))
    var statusEvery: Double = 10

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command to run, after --.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        switch (pid, command.isEmpty) {
        case (nil, true): throw ValidationError("give a command after --, or --pid to watch a running process")
        case (.some, false): throw ValidationError("give either a command or --pid, not both")
        default: break
        }
        guard interval.duration >= .milliseconds(10), interval.duration <= .seconds(3600) else {
            throw ValidationError("--interval must be between 10ms and 1h; got \(interval.text)")
        }
        guard statusEvery >= 0, statusEvery.isFinite else { throw ValidationError("--status-every must be 0 or more") }
        // Two outputs at one path would interleave into one corrupt file.
        let outputs = [("--timeline", timeline), ("--json", json), ("--chart", chart), ("--report", report)]
            .compactMap { flag, path in path.map { (flag, $0, Self.canonical($0)) } }
        for (index, first) in outputs.enumerated() {
            if let second = outputs.dropFirst(index + 1).first(where: { $0.2 == first.2 }) {
                throw ValidationError("\(first.0) and \(second.0) name the same file, \(first.1); give each its own")
            }
        }
    }

    /// `path` with its directory resolved (links, `..`), so two spellings of one file compare equal.
    static func canonical(_ path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolved = realpath(directory.isEmpty ? "/" : directory, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + name
    }

    func run() async throws {
        // Every output is opened before anything starts: a bad path fails now, not after the run.
        let recorder: WatchRecorder
        do throws(OutputFileError) {
            let outputs = WatchRecorder.Outputs(
                timeline: try timeline.map { path throws(OutputFileError) in try OutputFile(path: path) },
                json: try json.map { path throws(OutputFileError) in try OutputFile(path: path) },
                chart: try chart.map { path throws(OutputFileError) in try OutputFile(path: path) },
                report: try report.map { path throws(OutputFileError) in try OutputFile(path: path) })
            recorder = try WatchRecorder(outputs: outputs, title: pid.map { "process \($0.value)" } ?? command.joined(separator: " "))
        } catch {
            throw CommandFailure(description: error.description)
        }
        let options = Sampler.Options(readsPSS: pss, readsGPUs: !noGPU)
        let display = StatusDisplay(plainEvery: statusEvery)
        ChildSignals.install(.forward)
        let record = { @Sendable (sample: MemorySample) in Self.record(sample, recorder: recorder, display: display) }
        do {
            if let pid {
                try await CommandWatch.attach(pid: pid.value, interval: interval.duration, options: options, sample: record)
                try finish(recorder, display: display, ending: nil)
                return
            }
            let ending = try await CommandWatch(command: command, interval: interval.duration, options: options)
                .run(sample: record)
            try finish(recorder, display: display, ending: ending)
        } catch let error as CommandWatchError {
            display.clear()
            switch error.kind {
            case .noProcess: throw CommandFailure(description: error.description)
            case .notFound, .cannotRun:
                Output.note("headroom: \(error)")
                throw ExitCode(error.isNotFound ? 127 : 126)
            }
        }
    }

    private static func record(_ sample: MemorySample, recorder: WatchRecorder, display: StatusDisplay) {
        do {
            try recorder.record(sample)
        } catch {
            display.clear()
            Output.note("headroom: \(error); the run goes on without it")
        }
        if !sample.processes.isEmpty { display.show(sample) }
    }

    /// Prints the summary, then a line for each output that could not be written; the
    /// exit status stays the command's (1 where an output failed and there was no command).
    private func finish(_ recorder: WatchRecorder, display: StatusDisplay, ending: CommandWatch.Ending?) throws {
        display.clear()
        let (summary, failures) = recorder.finish(exitStatus: ending?.exitStatus, signal: ending?.signal,
                                                  cpuSeconds: ending?.cpuSeconds, kernelPeakRSS: ending?.peakRSS)
        let width = summary.lines.map(\.label.count).max() ?? 0
        Output.note("── headroom watch " + String(repeating: "─", count: 40))
        for line in summary.lines {
            Output.note(line.label + String(repeating: " ", count: width - line.label.count + 2) + line.value)
        }
        for failure in failures { Output.note("headroom: \(failure)") }
        if let ending { throw ExitCode(ending.shellStatus) }
        if !failures.isEmpty { throw ExitCode.failure }
    }
}
