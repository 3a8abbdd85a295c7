import ArgumentParser
import HeadroomAdvisor
import HeadroomRun
#if canImport(Glibc)
import Glibc
#endif

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve this machine's memory and GPU figures to Prometheus.",
        discussion: """
            Probes host RAM, the container's cgroup, memory pressure and every GPU (with \
            per-process VRAM) every --interval, and serves the latest figures at \
            /metrics in Prometheus's text format: headroom_host_memory_available_bytes, \
            headroom_container_memory_usage_bytes, headroom_gpu_memory_used_bytes{gpu="0",UUID="…",modelName="…",pci_bus_id="…"}, \
            headroom_gpu_process_memory_used_bytes{gpu="0",pid="…"} and more. Scrapes read \
            the latest sample, so many scrapers cost no more probing. Listens on \
            127.0.0.1 unless --listen says otherwise; stops cleanly on SIGTERM or Ctrl-C.

            Over HTTPS with --tls-cert and --tls-key (PEM files); /metrics behind basic \
            auth (--basic-auth-file holding user:password) or a bearer token \
            (--bearer-token-file); /healthz stays open for probes. docs/metrics.md lists \
            every metric.

              headroom serve --listen 0.0.0.0:9410
              headroom serve --listen 0.0.0.0:9410 --tls-cert tls.crt --tls-key tls.key --bearer-token-file token
            """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("Address and port to listen on.", valueName: "host:port"))
    var listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 9410)

    @Option(parsing: .unconditional, help: ArgumentHelp("Time between probes: 2s (default), 500ms, 1m.", valueName: "duration"))
    var interval: Interval = Interval(milliseconds: 2000)

    @Option(help: ArgumentHelp("PEM certificate chain to serve HTTPS with (with --tls-key).", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(help: ArgumentHelp("File holding user:password that /metrics requires (HTTP basic auth).", valueName: "file"))
    var basicAuthFile: String?

    @Option(help: ArgumentHelp("File holding the bearer token that /metrics requires.", valueName: "file"))
    var bearerTokenFile: String?

    @OptionGroup var probe: ProbeOptions

    func validate() throws {
        guard interval.duration >= .milliseconds(100), interval.duration <= .seconds(3600) else {
            throw ValidationError("--interval must be between 100ms and 1h; got \(interval.text)")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        guard basicAuthFile == nil || bearerTokenFile == nil else {
            throw ValidationError("give --basic-auth-file or --bearer-token-file, not both")
        }
    }

    /// The file options as `headroom-serve` takes them, each checked to be readable first.
    func fileArguments() throws -> [String] {
        let files: [(String, String, String?)] = [("--tls-cert", "TLS certificate", tlsCert), ("--tls-key", "TLS key", tlsKey),
                                                  ("--basic-auth-file", "basic auth file", basicAuthFile),
                                                  ("--bearer-token-file", "bearer token file", bearerTokenFile)]
        var arguments: [String] = []
        for (flag, what, path) in files {
            guard let path else { continue }
            guard access(path, R_OK) == 0 else {
                throw CommandFailure(description: "cannot read the \(what) \(path): \(String(cString: strerror(errno)))")
            }
            arguments += [flag, path]
        }
        return arguments
    }

    /// Runs `headroom-serve`, found beside this executable, in this process's place:
    /// the web server lives in its own executable so no other command loads it.
    func run() throws {
        let server = Self.serverPath()
        guard access(server, X_OK) == 0 else {
            throw CommandFailure(description: "cannot run \(server): \(String(cString: strerror(errno))); "
                + "headroom serve runs the headroom-serve executable from beside headroom; build it with "
                + "swift build -c release --product headroom-serve (swift build -c release builds both)")
        }
        let files = try fileArguments()
        if listen.host == "0.0.0.0" || listen.host == "::" {
            Output.note("headroom serve: warning: listening on every interface; anyone who can reach this machine can read its memory and process figures")
        }
        let milliseconds = Int64((interval.duration.seconds * 1000).rounded())
        let arguments = [server, listen.host, String(listen.port), String(milliseconds), probe.systemRoot] + files
        var argv = arguments.map { strdup($0) } + [nil]
        execv(server, &argv)
        throw CommandFailure(description: "cannot run \(server): \(String(cString: strerror(errno)))")
    }

    /// `headroom-serve` in the directory of the running executable.
    static func serverPath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let executable = count > 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                                   : CommandLine.arguments[0]
        let directory = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
        return directory + "/headroom-serve"
    }
}

/// `host:port`, `:port` (all interfaces) or `[::1]:port`.
struct ListenAddress: ExpressibleByArgument {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }

    var defaultValueDescription: String { "\(host):\(port)" }
}
