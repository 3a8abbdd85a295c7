import ArgumentParser
import HeadroomAdvisor
import HeadroomRun

struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Find the largest batch size a program can run, by running it.",
        usage: "headroom tune [<options>] -- <command> [<argument>...]",
        discussion: """
            Runs the command again and again with a different batch size: wherever \
            {batch} appears in its arguments, and always as HEADROOM_BATCH_SIZE in its \
            environment. Sizes double from --start until a run is out of memory, then \
            bisect between the largest that fit and the smallest that failed; the answer \
            is run once more (--confirm) before it is reported.

            A run fits when the command exits 0, prints the --success-marker, or runs \
            --trial-seconds without running out of memory (then it is stopped). It is \
            out of memory when it prints a known out-of-memory message (CUDA, HIP, MPS, \
            XPU, cuDNN, cuBLAS, CPU allocator, ONNX Runtime, or an --oom-pattern) or is \
            killed by SIGKILL, as the kernel's OOM killer does. Any other failure stops \
            tuning with the command's last lines.

            Each run is its own process group; the whole group is stopped at a decision \
            and when tuning is interrupted.

              headroom tune --trial-seconds 60 -- python train.py --batch-size {batch}
            """
    )

    @Option(parsing: .unconditional, help: "The first batch size to try.")
    var start = 1

    @Option(parsing: .unconditional, help: "The largest batch size to try.")
    var max = 4096

    @Option(parsing: .unconditional, help: ArgumentHelp("The share of the largest fitting size to recommend, for room to vary: 0.9 or 90%.",
                               valueName: "share"))
    var margin: Share = Share(0.9)

    @Option(parsing: .unconditional, help: "Runs of the answer that must fit again before it is reported.")
    var confirm = 1

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop bisecting when the gap between fitting and failing is within this share of the size: 0.05 or 5%.",
                               valueName: "share"))
    var tolerance: Share = Share(0)

    @Option(name: .customLong("trial-seconds"), parsing: .unconditional, help: ArgumentHelp(
        "Count a run as fitting once it has run this long without running out of memory (for programs that run for hours).",
        valueName: "seconds"))
    var trialSeconds: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Count a run as fitting once it prints a line containing this text.", valueName: "text"))
    var successMarker: String?

    @Option(name: .customLong("oom-pattern"), parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "Another message that means out of memory (case-insensitive; may be repeated).", valueName: "text"))
    var oomPatterns: [String] = []

    @Option(name: .customLong("max-trials"), parsing: .unconditional, help: "Give up after this many runs.")
    var maxTrials = 64

    @Flag(help: "Print the command's output as it runs (on standard error).")
    var verbose = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command to tune, after --.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("give the command to tune after --, e.g. headroom tune -- python infer.py --batch {batch}") }
        guard start >= 1 else { throw ValidationError("--start must be 1 or more; got \(start)") }
        guard max >= start else { throw ValidationError("--max (\(max)) must be at least --start (\(start))") }
        guard (0...64).contains(confirm) else { throw ValidationError("--confirm must be between 0 and 64; got \(confirm)") }
        guard margin.value > 0, margin.value <= 1 else { throw ValidationError("--margin must be more than 0 and at most 1 (100%)") }
        guard tolerance.value < 1 else { throw ValidationError("--tolerance must be less than 1 (100%)") }
        guard maxTrials >= 1 else { throw ValidationError("--max-trials must be 1 or more") }
        if let trialSeconds, !(trialSeconds > 0 && trialSeconds <= 86_400 * 7) {
            throw ValidationError("--trial-seconds must be more than 0 and at most a week; got \(trialSeconds)")
        }
        if let successMarker, successMarker.isEmpty { throw ValidationError("--success-marker cannot be empty") }
        if oomPatterns.contains("") { throw ValidationError("--oom-pattern cannot be empty") }
    }

    func run() async throws {
        if !command.contains(where: { $0.contains(CommandTrial.placeholder) }) {
            Output.note("note: no {batch} in the command; the size is given only as \(CommandTrial.environmentVariable)")
        }
        var trial = CommandTrial(command: command, successMarker: successMarker,
                                 classifier: OutOfMemoryClassifier(extra: oomPatterns))
        if let trialSeconds {
            trial.trialDuration = Duration.milliseconds(Int64((trialSeconds * 1000).rounded()))
        }
        if verbose {
            trial.echo = { line in Output.note("  | " + line) }
        }
        ChildSignals.install(.stopGroupAndExit)

        let tuner = BatchSizeTuner(start: start, maximum: max, margin: margin.value, confirmations: confirm,
                                   tolerance: tolerance.value, maximumTrials: maxTrials)
        do {
            var number = 0
            let report = try await tuner.tune(trial: { (size: Int) async throws(TuneError) -> TuneTrial in
                number += 1
                Output.note(TuneText.starting(size: size, number: number))
                return try await trial.run(size: size)
            }, progress: { Output.note(TuneText.progress($0)) })
            try Output.write(json ? try Output.json(TuneOutput(command: command, report: report, error: nil))
                              : TuneText.summary(report))
        } catch let error as TuneError {
            if json, let report = error.report {
                try Output.write(try Output.json(TuneOutput(command: command, report: report, error: error.message)))
            }
            // The program's last lines first, each escaped on a line of its own; then the one-line error.
            let lines = error.trial?.lastLines.suffix(10) ?? []
            for line in lines { Output.note("  | " + line) }
            throw CommandFailure(description: error.message + (lines.isEmpty ? "" : "; its last lines are above"))
        }
    }
}

/// `headroom tune --json`.
struct TuneOutput: Encodable {
    var command: [String]
    var report: TuneReport
    var error: String?
}
