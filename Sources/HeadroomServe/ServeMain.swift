#if canImport(Glibc)
import Glibc
#endif
import HeadroomProbe
import HeadroomServer

/// `headroom serve`'s server, in an executable of its own so that the web
/// server and what it links (Foundation among them) stay out of every other
/// command's start-up. `headroom serve` parses and checks the options, then
/// runs this in its place:
///
///     headroom-serve HOST PORT INTERVAL_MS SYSTEM_ROOT [--tls-cert FILE --tls-key FILE]
///                    [--basic-auth-file FILE | --bearer-token-file FILE]
@main
struct ServeMain {
    static let usage = "usage: headroom-serve HOST PORT INTERVAL_MS SYSTEM_ROOT [--tls-cert FILE --tls-key FILE] "
        + "[--basic-auth-file FILE | --bearer-token-file FILE] (run it as headroom serve)"

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 4, let port = Int(arguments[1]), (0...65535).contains(port),
              let milliseconds = Int64(arguments[2]), milliseconds > 0,
              let options = Options(arguments.dropFirst(4)) else {
            fail(usage, status: 64)
        }
        let host = arguments[0]
        var server = MetricsServer(host: host, port: port, interval: .milliseconds(milliseconds),
                                   root: SystemRoot(arguments[3]))
        do {
            if let certificate = options.values["--tls-cert"], let key = options.values["--tls-key"] {
                server.tls = TLSFiles(certificate: certificate, key: key)
            }
            if let file = options.values["--basic-auth-file"] { server.access = try MetricsAccess.basic(file: file) }
            if let file = options.values["--bearer-token-file"] { server.access = try MetricsAccess.bearer(file: file) }
        } catch {
            fail("Error: \(error)", status: 1)
        }
        let scheme = server.tls == nil ? "http" : "https"
        do {
            try await server.run { bound in
                let shown = host.contains(":") ? "[\(host)]" : host
                note("headroom serve: listening on \(scheme)://\(shown):\(bound)/metrics")
            }
        } catch {
            fail("Error: \(error)", status: 1)
        }
    }

    /// `--name value` pairs after the positional arguments; `nil` for an unknown name, a missing
    /// value, half a TLS pair, or both kinds of auth.
    struct Options {
        static let names: Set<String> = ["--tls-cert", "--tls-key", "--basic-auth-file", "--bearer-token-file"]
        var values: [String: String] = [:]

        init?(_ arguments: ArraySlice<String>) {
            var rest = arguments[...]
            while let name = rest.popFirst() {
                guard Options.names.contains(name), let value = rest.popFirst(), values[name] == nil else { return nil }
                values[name] = value
            }
            guard (values["--tls-cert"] == nil) == (values["--tls-key"] == nil),
                  values["--basic-auth-file"] == nil || values["--bearer-token-file"] == nil else { return nil }
        }
    }

    /// One line on standard error, control characters escaped.
    static func note(_ line: String) {
        var text = TerminalText.escaped(line) + "\n"
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }

    static func fail(_ line: String, status: Int32) -> Never {
        note(line)
        exit(status)
    }
}
