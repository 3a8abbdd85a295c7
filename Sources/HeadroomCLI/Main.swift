import ArgumentParser
import Dispatch

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
            HeadroomCommand.exit(withError: error)
        }
        guard let asynchronous = command as? any AsyncParsableCommand else {
            do {
                var command = command
                try command.run()
                HeadroomCommand.exit()
            } catch {
                HeadroomCommand.exit(withError: error)
            }
        }
        let outcome = Outcome(command: asynchronous)
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            await outcome.run()
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error { HeadroomCommand.exit(withError: error) }
        HeadroomCommand.exit()
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
