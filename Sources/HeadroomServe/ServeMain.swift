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
///     headroom-serve HOST PORT INTERVAL_MS SYSTEM_ROOT
@main
struct ServeMain {
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count == 4, let port = Int(arguments[2]), (0...65535).contains(port),
              let milliseconds = Int64(arguments[3]), milliseconds > 0 else {
            fail("usage: headroom-serve HOST PORT INTERVAL_MS SYSTEM_ROOT (run it as headroom serve)", status: 64)
        }
        let host = arguments[1]
        let server = MetricsServer(host: host, port: port, interval: .milliseconds(milliseconds),
                                   root: SystemRoot(arguments[4]))
        do {
            try await server.run { bound in
                let shown = host.contains(":") ? "[\(host)]" : host
                note("headroom serve: listening on http://\(shown):\(bound)/metrics")
            }
        } catch {
            fail("Error: \(error)", status: 1)
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
