import Foundation
import HeadroomSystemTestKit
import Testing

/// `headroom serve` over TLS and behind basic auth or a bearer token, read with curl,
/// and the one-line errors for files it cannot use.
@Suite("headroom serve: TLS, auth, binding")
struct ServeSecurityTests {
    static let hasTools = ["/usr/bin/curl", "/usr/bin/openssl"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    /// A scratch directory with a self-signed certificate for 127.0.0.1, a token and a basic auth file.
    struct Files {
        let directory: URL
        var certificate: String { directory.appendingPathComponent("tls.crt").path }
        var key: String { directory.appendingPathComponent("tls.key").path }
        var token: String { directory.appendingPathComponent("token").path }
        var basic: String { directory.appendingPathComponent("basic").path }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try "s3cret-token\n".write(toFile: token, atomically: true, encoding: .utf8)
            try "prometheus:pa:ss\n".write(toFile: basic, atomically: true, encoding: .utf8)
            let openssl = try ServeSecurityTests.run("/usr/bin/openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate])
            try #require(openssl.status == 0, "\(openssl.output)")
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    /// Runs a program to its end: its status and its standard output and error together.
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// curl's HTTP status for `url` (`000` when no HTTP answer came), with `extra` arguments.
    static func status(_ url: String, _ extra: [String] = []) throws -> String {
        try run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10"] + extra + [url]).output
    }

    @Test("HTTPS from a certificate and key: curl trusting the certificate reads /metrics; plain HTTP gets no answer",
          .enabled(if: hasTools))
    func tls() throws {
        let files = try Files()
        defer { files.remove() }
        let (process, port, standardError) = try ServeCommandTests.startReading(
            nvml: "/nonexistent/libnvidia-ml.so.1", ["--tls-cert", files.certificate, "--tls-key", files.key])
        defer { process.terminate() }
        #expect(standardError.contains("https://127.0.0.1:\(port)/metrics"))
        let body = try Self.run("/usr/bin/curl", ["-sS", "--max-time", "10", "--cacert", files.certificate,
                                                  "https://127.0.0.1:\(port)/metrics"])
        #expect(body.status == 0, "\(body.output)")
        #expect(body.output.contains("headroom_host_memory_available_bytes "))
        // Without the certificate, curl refuses the self-signed server; over plain HTTP there is no HTTP answer.
        #expect(try Self.status("https://127.0.0.1:\(port)/metrics") == "000")
        #expect(try Self.status("http://127.0.0.1:\(port)/metrics") == "000")
    }

    @Test("a bearer token from a file: the right token reads /metrics, a wrong or missing one gets 401; /healthz is open",
          .enabled(if: hasTools))
    func bearer() throws {
        let files = try Files()
        defer { files.remove() }
        let (process, port) = try ServeCommandTests.start(nvml: "/nonexistent/libnvidia-ml.so.1",
                                                          ["--bearer-token-file", files.token])
        defer { process.terminate() }
        let url = "http://127.0.0.1:\(port)/metrics"
        #expect(try Self.status(url, ["-H", "Authorization: Bearer s3cret-token"]) == "200")
        #expect(try Self.status(url, ["-H", "Authorization: Bearer s3cret-tokeN"]) == "401")
        #expect(try Self.status(url, ["-H", "Authorization: Bearer s3cret-token-and-more"]) == "401")
        #expect(try Self.status(url) == "401")
        let challenge = try Self.run("/usr/bin/curl", ["-s", "-D", "-", "-o", "/dev/null", url]).output
        #expect(challenge.lowercased().contains("www-authenticate: bearer realm=\"headroom\""))
        #expect(try Self.status("http://127.0.0.1:\(port)/healthz") == "200")
    }

    @Test("basic auth from a user:password file, over TLS: curl -u with the right password reads /metrics, a wrong one gets 401",
          .enabled(if: hasTools))
    func basicOverTLS() throws {
        let files = try Files()
        defer { files.remove() }
        let (process, port) = try ServeCommandTests.start(nvml: "/nonexistent/libnvidia-ml.so.1", [
            "--tls-cert", files.certificate, "--tls-key", files.key, "--basic-auth-file", files.basic])
        defer { process.terminate() }
        let url = "https://127.0.0.1:\(port)/metrics"
        // The password holds a colon: only the first one separates the user.
        #expect(try Self.status(url, ["--cacert", files.certificate, "-u", "prometheus:pa:ss"]) == "200")
        #expect(try Self.status(url, ["--cacert", files.certificate, "-u", "prometheus:wrong"]) == "401")
        #expect(try Self.status(url, ["--cacert", files.certificate, "-u", "someone:pa:ss"]) == "401")
        #expect(try Self.status(url, ["--cacert", files.certificate]) == "401")
    }

    @Test("files it cannot use are one line each: a missing certificate, a key that is no key, an unreadable token")
    func badFiles() throws {
        let files = try Files()
        defer { files.remove() }
        let missing = files.directory.appendingPathComponent("nope.crt").path
        let cases: [([String], Int32, String)] = [
            (["--tls-cert", missing, "--tls-key", files.key], 1,
             "Error: cannot read the TLS certificate \(missing): No such file or directory\n"),
            (["--tls-cert", files.certificate, "--tls-key", files.token], 1,
             "Error: the TLS key \(files.token) holds no PEM private key\n"),
            (["--bearer-token-file", missing], 1,
             "Error: cannot read the bearer token file \(missing): No such file or directory\n"),
        ]
        for (arguments, status, message) in cases {
            let result = try CLI.run(["serve", "--listen", "127.0.0.1:0"] + arguments)
            #expect(result.status == status, "\(arguments)")
            #expect(result.standardError == message, "\(arguments)")
        }
        let half = try CLI.run(["serve", "--tls-cert", files.certificate])
        #expect(half.status == 64)
        #expect(half.standardError.hasPrefix("Error: --tls-cert and --tls-key go together\n"))
        let both = try CLI.run(["serve", "--basic-auth-file", files.basic, "--bearer-token-file", files.token])
        #expect(both.status == 64)
    }

    @Test("loopback by default; binding every interface prints one warning line and still serves")
    func bindWarning() throws {
        let (process, port, standardError) = try ServeCommandTests.startReading(nvml: "/nonexistent/libnvidia-ml.so.1",
                                                                                 listen: "0.0.0.0:0")
        defer { process.terminate() }
        let lines = standardError.split(separator: "\n")
        #expect(lines.count == 2, "\(standardError)")
        #expect(lines.first?.contains("warning: listening on every interface") == true)
        #expect(try ServeCommandTests.get("/healthz", port: port) == "ok\n")

        let (loopback, _, quiet) = try ServeCommandTests.startReading(nvml: "/nonexistent/libnvidia-ml.so.1",
                                                                       listen: "127.0.0.1:0")
        defer { loopback.terminate() }
        #expect(!quiet.contains("warning"))
    }
}
