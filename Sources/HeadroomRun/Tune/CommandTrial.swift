#if canImport(Glibc)
import Glibc
#endif
import Subprocess
import Synchronization

/// Runs a program at one batch size and decides whether the batch fit.
///
/// The size goes into the arguments wherever `{batch}` appears, and into the
/// environment as `HEADROOM_BATCH_SIZE`. The program runs in its own process
/// group with its output read line by line:
/// - a line matching an out-of-memory pattern (the batcher's
///   ``OutOfMemoryClassifier``) means out of memory: the group is killed at once;
/// - a line containing the success marker means it fits: the group is killed;
/// - the trial time passing with neither means it fits: the group is killed;
/// - otherwise the exit decides: 0 fits, SIGKILL (or 137 from a shell, whose
///   child was SIGKILLed) is the kernel's OOM killer, anything else a failure.
public struct CommandTrial: Sendable {
    /// The program and its arguments, `{batch}` standing for the size.
    public var command: [String]
    /// Count the batch as fitting once the program has run this long without running out of memory.
    public var trialDuration: Duration?
    /// Count the batch as fitting once the program prints a line containing this.
    public var successMarker: String?
    public var classifier: OutOfMemoryClassifier
    /// Called with every line the program prints, for a verbose mode.
    public var echo: (@Sendable (String) -> Void)?

    public static let placeholder = "{batch}"
    public static let environmentVariable = "HEADROOM_BATCH_SIZE"

    public init(command: [String], trialDuration: Duration? = nil, successMarker: String? = nil,
                classifier: OutOfMemoryClassifier = OutOfMemoryClassifier(),
                echo: (@Sendable (String) -> Void)? = nil) {
        self.command = command
        self.trialDuration = trialDuration
        self.successMarker = successMarker
        self.classifier = classifier
        self.echo = echo
    }

    /// What the output said, first come first served.
    private enum Verdict: Sendable {
        case outOfMemory(String), marker, timeUp
    }

    /// Runs the program at `size`.
    /// - Throws: ``TuneError`` (``TuneError/Kind/cannotStart``) when the program cannot be started.
    public func run(size: Int) async throws(TuneError) -> TuneTrial {
        guard let program = command.first else {
            throw TuneError(kind: .cannotStart, message: "no command to run")
        }
        if let reason = Executable.whyNotRunnable(program) {
            throw TuneError(kind: .cannotStart, message: "cannot run \(program): \(reason)")
        }
        let arguments = command.dropFirst().map { $0.replacing(CommandTrial.placeholder, with: String(size)) }
        var options = PlatformOptions()
        options.processGroupID = 0  // its own group, so the whole tree can be stopped
        let verdict = Mutex<Verdict?>(nil)
        let tail = Mutex(LineTail(capacity: 20))
        let began = ContinuousClock.now

        let status: TerminationStatus
        do {
            let result = try await Subprocess.run(
                .command(program),
                arguments: Arguments(Array(arguments)),
                environment: .inherit.updating([.init(stringLiteral: CommandTrial.environmentVariable): String(size)]),
                platformOptions: options,
                input: .none, output: .sequence, error: .sequence
            ) { execution in
                // Its own process group: what ChildSignals stops when tuning is interrupted.
                ChildSignals.track(execution.processIdentifier.value)
                defer { ChildSignals.track(0) }
                let processes = TrialProcesses(group: execution.processIdentifier.value)
                // Whatever the outcome, nothing the trial started outlives it to skew the next one.
                defer { processes.stopAll() }
                let decide = { @Sendable (decision: Verdict) in
                    let isFirst = verdict.withLock { current in
                        guard current == nil else { return false }
                        current = decision
                        return true
                    }
                    if isFirst { try? execution.send(signal: .kill, toProcessGroup: true) }
                }
                let onLine = { @Sendable (line: String) in
                    tail.withLock { $0.append(line) }
                    echo?(line)
                    if classifier.matches(line) {
                        decide(.outOfMemory(line))
                    } else if let successMarker, line.contains(successMarker) {
                        decide(.marker)
                    }
                }
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask { try await CommandTrial.read(execution.standardOutput, line: onLine); return true }
                    group.addTask { try await CommandTrial.read(execution.standardError, line: onLine); return true }
                    group.addTask { await processes.watch(); return false }
                    if let trialDuration {
                        group.addTask {
                            try? await Task.sleep(for: trialDuration)
                            if !Task.isCancelled { decide(.timeUp) }
                            return false
                        }
                    }
                    // Both streams end when the program (and its group) is gone; then the timer is moot.
                    var finished = 0
                    while finished < 2, let isReader = try await group.next() {
                        if isReader { finished += 1 }
                    }
                    group.cancelAll()
                }
            }
            status = result.terminationStatus
        } catch let error as SubprocessError where error.code == .executableNotFound {
            throw TuneError(kind: .cannotStart, message: "cannot run \(program): command not found")
        } catch {
            throw TuneError(kind: .cannotStart, message: "cannot run \(program): \(error)")
        }
        return trial(size: size, status: status, verdict: verdict.withLock { $0 }, lastLines: tail.withLock { $0.lines },
                     seconds: (ContinuousClock.now - began).seconds)
    }
}

extension CommandTrial {
    /// Reads one output stream to its end, a line at a time.
    private static func read(_ stream: SubprocessOutputSequence, line: (String) -> Void) async throws {
        var lines = OutputLines()
        for try await buffer in stream {
            buffer.withUnsafeBytes { lines.feed($0, line: line) }
        }
        lines.finish(line: line)
    }

    /// The trial's outcome from what the output said and how the program ended.
    private func trial(size: Int, status: TerminationStatus, verdict: Verdict?, lastLines: [String],
                       seconds: Double) -> TuneTrial {
        var trial = TuneTrial(size: size, outcome: .failed, reason: "", seconds: seconds, lastLines: lastLines)
        switch status {
        case .exited(let code): trial.exitStatus = code
        case .signaled(let signal): trial.signal = signal
        }
        switch (verdict, status) {
        case (.outOfMemory(let line)?, _):
            trial.outcome = .outOfMemory
            trial.reason = "printed \"\(line.count > 120 ? line.prefix(117) + "..." : line)\""
        case (.marker?, _):
            trial.outcome = .fits
            trial.reason = "printed the success marker"
        case (.timeUp?, _):
            trial.outcome = .fits
            trial.reason = "ran \(trialDuration.map { "\(Int($0.seconds.rounded())) s" } ?? "its trial time") without running out of memory"
        case (nil, .exited(0)):
            trial.outcome = .fits
            trial.reason = "exited 0"
        case (nil, .signaled(SIGKILL)):
            trial.outcome = .outOfMemory
            trial.reason = "killed by SIGKILL, as the kernel's OOM killer does"
        case (nil, .exited(137)):
            trial.outcome = .outOfMemory
            trial.reason = "exited 137 (a child killed by SIGKILL, as the kernel's OOM killer does)"
        case (nil, .exited(let code)):
            trial.reason = "exited \(code)"
        case (nil, .signaled(let signal)):
            trial.reason = "killed by signal \(signal)"
        }
        if trial.outcome == .fits { trial.lastLines = [] }
        return trial
    }
}
