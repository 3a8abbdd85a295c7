import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts test processes the way a test needs them, without Foundation's `Process`
/// (whose waiting does not mix with signals sent behind its back):
/// - in a process group of their own, so that one `kill(-pid, …)` ends whatever they started;
/// - with default signal handling and no signal blocked (a child inherits the spawning
///   thread's mask, and a shell whose SIGCHLD another test left blocked waits forever);
/// - holding none of the test process's other descriptors. Tests run in parallel in one
///   process, and a child that inherited another test's pipe keeps that test's read from
///   ever seeing end-of-file until the child exits.
public enum TestProcess {
    /// Where a child's standard streams go: a path for each, opened as named, or `/dev/null`.
    public struct Streams: Sendable {
        public var input = "/dev/null"
        public var output = "/dev/null"
        public var error = "/dev/null"
        /// Whether `output` is created (or truncated) rather than opened as it is, such as `/dev/full`.
        public var createsOutput = true

        public init(input: String = "/dev/null", output: String = "/dev/null", error: String = "/dev/null",
                    createsOutput: Bool = true) {
            self.input = input
            self.output = output
            self.error = error
            self.createsOutput = createsOutput
        }
    }

    /// Starts `arguments[0]` (a path) with `arguments`, this process's environment with
    /// `environment` added, and `streams`.
    /// - Returns: the child's PID, which is also its process group's.
    /// - Throws: `POSIXError` when it cannot be started.
    public static func spawn(_ arguments: [String], environment: [String: String] = [:],
                             streams: Streams = Streams()) throws -> pid_t {
        precondition(!arguments.isEmpty, "a command needs at least its path")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let created = O_WRONLY | O_CREAT | O_TRUNC
        posix_spawn_file_actions_addopen(&actions, 0, streams.input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, streams.output, streams.createsOutput ? created : O_WRONLY, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, streams.error, created, 0o600)
        if let closeFrom { _ = closeFrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL) }
        return pid
    }

    /// Kills `pid`'s whole process group and reaps `pid`.
    public static func end(_ pid: pid_t) {
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        reap(pid)
    }

    /// Waits for `pid` to exit and returns its raw wait status.
    @discardableResult
    public static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run
    /// time because the Glibc module does not declare it.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
}
