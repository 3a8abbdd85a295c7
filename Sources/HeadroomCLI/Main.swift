import ArgumentParser
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The entry point: a synchronous command (`diagnose`, `env`, `plan`, `serve`)
/// runs on the main thread and never starts the concurrency runtime's threads,
/// which cost more than the whole of `diagnose`; `watch` and `tune` run in a task.
@main
enum Main {
    static func main() {
        let command: any ParsableCommand
        do {
            command = try HeadroomCommand.parseAsRoot()
        } catch {
            fail(error)
        }
        guard let asynchronous = command as? any AsyncParsableCommand else {
            do {
                var command = command
                try command.run()
                HeadroomCommand.exit()
            } catch {
                fail(error)
            }
        }
        let outcome = Outcome(command: asynchronous)
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            await outcome.run()
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error { fail(error) }
        HeadroomCommand.exit()
    }

    /// Ends with `error`'s exit status and, unless it is a request for help or
    /// the version, its message as one printable line on standard error.
    static func fail(_ error: any Error) -> Never {
        let code = HeadroomCommand.exitCode(for: error)
        if code == .success { HeadroomCommand.exit(withError: error) }
        let message = HeadroomCommand.message(for: error)
        if !message.isEmpty { Output.note("Error: " + message) }
        exit(code.rawValue)
    }

    /// An asynchronous command and how it ended, handed from the main thread to
    /// one task and read back after it signals.
    // Unchecked: the main thread writes `command` before the task starts and reads `error`
    // only after the semaphore says the task is done; no two threads touch it at once.
    private final class Outcome: @unchecked Sendable {
        var command: any AsyncParsableCommand
        var error: (any Error)?

        init(command: any AsyncParsableCommand) {
            self.command = command
        }

        func run() async {
            do {
                try await command.run()
            } catch {
                self.error = error
            }
        }
    }
}
