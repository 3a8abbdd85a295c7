import Foundation
import HeadroomSystemTestKit
import Testing

/// `headroom serve` scraped over loopback.
@Suite("headroom serve")
struct ServeCommandTests {
    /// Starts `headroom serve` on a free port and returns the process and the port it printed.
    static func start(nvml: String, listen: String = "127.0.0.1:0", _ extra: [String] = []) throws -> (Process, Int) {
        let started = try startReading(nvml: nvml, listen: listen, extra)
        return (started.process, started.port)
    }

    /// Starts `headroom serve` and returns the process, the port it printed and all it printed before.
    static func startReading(nvml: String, listen: String = "127.0.0.1:0",
                             _ extra: [String] = []) throws -> (process: Process, port: Int, standardError: String) {
        let process = Process()
        process.executableURL = CLI.runner.executable
        process.arguments = ["serve", "--listen", listen, "--interval", "200ms"] + extra
        process.environment = ProcessInfo.processInfo.environment.merging(["HEADROOM_NVML_LIBRARY": nvml]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        var text = ""
        while !text.contains("/metrics\n") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let port = try #require(text.split(separator: ":").last.flatMap { Int($0.split(separator: "/").first ?? "") },
                                "no port in: \(text)")
        return (process, port, text)
    }

    @Test("serve runs headroom-serve from beside headroom; without it, one line says what to build")
    func missingServer() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let alone = directory.appendingPathComponent("headroom")
        try FileManager.default.copyItem(at: CLI.runner.executable, to: alone)
        let result = try CommandRunner(executable: alone).run(["serve", "--listen", "127.0.0.1:0"])
        #expect(result.status == 1)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(result.standardError)")
        #expect(result.standardError.contains(directory.path + "/headroom-serve"))
        #expect(result.standardError.contains("swift build -c release --product headroom-serve"))
    }

    /// `GET path` over a plain socket: the response body.
    static func get(_ path: String, port: Int) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0, "cannot connect to port \(port)")
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        try #require(text.hasPrefix("HTTP/1.1 200"), "\(text.prefix(200))")
        return String(text[try #require(text.range(of: "\r\n\r\n")).upperBound...])
    }

    /// The exposition's samples: `name{labels}` → value.
    static func parse(_ exposition: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }

    @Test("host and GPU figures in Prometheus's format, concurrent scrapes, clean exit on SIGTERM")
    func scrape() async throws {
        let nvml = try FakeNVML.library(scenario: """
            device name=NVIDIA_A10G uuid=GPU-0000 pci=00000000:3B:00.0 total=24GiB reserved=300MiB used=6GiB util=40,20
            proc pid=4242 used=6GiB
            """)
        let (process, port) = try Self.start(nvml: nvml)
        defer { if process.isRunning { process.terminate() } }

        let metrics = Self.parse(try Self.get("/metrics", port: port))
        // The DCGM exporter's labels, in its spelling, so panels can join the two.
        let gpu = #"gpu="0",UUID="GPU-0000",modelName="NVIDIA A10G",pci_bus_id="00000000:3B:00.0""#
        #expect(metrics["headroom_host_memory_total_bytes"] == Double(try CLI.memTotal()))
        #expect(metrics["headroom_gpu_memory_total_bytes{\(gpu)}"] == Double(24 << 30))
        #expect(metrics["headroom_gpu_memory_used_bytes{\(gpu)}"] == Double(6 << 30))
        #expect(metrics["headroom_gpu_utilization_ratio{\(gpu)}"] == 0.4)
        #expect(metrics["headroom_gpu_process_memory_used_bytes{gpu=\"0\",UUID=\"GPU-0000\",pid=\"4242\"}"] == Double(6 << 30))
        #expect(metrics["headroom_pressure_memory_waiting_seconds_total{scope=\"host\"}"] != nil
                || !FileManager.default.fileExists(atPath: "/proc/pressure/memory"))

        // Sixteen scrapes at once all answer.
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 { group.addTask { try Self.get("/metrics", port: port) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(bodies.count == 16 && bodies.allSatisfy { $0.contains("headroom_host_memory_available_bytes") })

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("a port in use is one clear line and status 1")
    func portInUse() throws {
        let (first, port) = try Self.start(nvml: "/nonexistent/libnvidia-ml.so.1")
        defer { first.terminate() }
        let second = try CLI.run(["serve", "--listen", "127.0.0.1:\(port)"])
        #expect(second.status == 1)
        #expect(second.standardError == "Error: cannot listen on 127.0.0.1:\(port): the address is in use (another server on that port?)\n")
    }
}
