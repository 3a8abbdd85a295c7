#if canImport(Glibc)
import Glibc
#endif
import Subprocess

/// Runs a command with the terminal's standard streams and hands each sample
/// of its process tree to a closure until it exits: the engine of `headroom watch`.
///
/// The command's arguments are passed as they are (no shell). The sampler
/// follows the tree from the command's process; the run ends when it exits and
/// the status says how.
public struct CommandWatch: Sendable {
    public var command: [String]
    public var interval: Duration
    public var options: Sampler.Options

    public init(command: [String], interval: Duration = .milliseconds(500), options: Sampler.Options = .init()) {
        self.command = command
        self.interval = interval
        self.options = options
    }

    /// How the command ended.
    public struct Ending: Sendable, Hashable {
        public var exitStatus: Int32?
        public var signal: Int32?
        /// User plus system CPU seconds of the command and the descendants it waited for.
        public var cpuSeconds: Double
        /// The largest RSS any one of them reached, as the kernel recorded it (`ru_maxrss`).
        public var peakRSS: ByteCount?

        /// The status a shell would give: the exit status, or 128 + the signal.
        public var shellStatus: Int32 { exitStatus ?? 128 + (signal ?? 0) }
    }

    /// Starts the command, then calls `sample` with each sample until it exits.
    ///
    /// While it runs, the command is what ``ChildSignals`` passes signals on to.
    /// - Throws: ``CommandWatchError`` when the command cannot be started.
    public func run(sample: @Sendable (MemorySample) -> Void) async throws(CommandWatchError) -> Ending {
        guard let program = command.first else { throw CommandWatchError(program: "", kind: .notFound, reason: "no command") }
        if let reason = Executable.whyNotRunnable(program) {
            throw CommandWatchError(program: program, kind: .cannotRun, reason: reason)
        }
        let (interval, options) = (self.interval, self.options)
        let status: TerminationStatus
        do {
            status = try await Subprocess.run(
                .command(program),
                arguments: Arguments(Array(command.dropFirst())),
                input: .currentStandardInput, output: .currentStandardOutput, error: .currentStandardError
            ) { execution in
                let pid = execution.processIdentifier.value
                ChildSignals.track(pid)
                defer { ChildSignals.track(0) }
                for await each in Sampler(pid: pid, options: options).samples(every: interval) {
                    sample(each)
                }
            }.terminationStatus
        } catch let error as SubprocessError {
            throw CommandWatchError(program: program, kind: error.code == .executableNotFound ? .notFound : .cannotRun,
                                    reason: "\(error)")
        } catch {
            throw CommandWatchError(program: program, kind: .cannotRun, reason: "\(error)")
        }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let peak = usage.ru_maxrss > 0 ? ByteCount.kibibytes(Int64(usage.ru_maxrss)) : nil
        switch status {
        case .exited(let code): return Ending(exitStatus: code, signal: nil, cpuSeconds: cpu, peakRSS: peak)
        case .signaled(let signal): return Ending(exitStatus: nil, signal: signal, cpuSeconds: cpu, peakRSS: peak)
        }
    }
}

/// A command that could not be started, or a process that could not be watched.
public struct CommandWatchError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// No such command on `PATH` (a shell's 127).
        case notFound
        /// A command that could not run (a shell's 126).
        case cannotRun
        /// No process with the PID given to ``CommandWatch/attach(pid:interval:options:sample:)``.
        case noProcess
    }

    /// The command, or `process PID`.
    public var program: String
    public var kind: Kind
    public var reason: String

    /// No such command on `PATH` (a shell's 127), rather than one that could not run (126).
    public var isNotFound: Bool { kind == .notFound }

    public var description: String {
        switch kind {
        case .notFound: "cannot run \(program): command not found"
        case .cannotRun: "cannot run \(program): \(reason)"
        case .noProcess: reason
        }
    }
}
