import Foundation
import Testing

/// `headroom watch` around real child processes.
@Suite("headroom watch")
struct WatchCommandTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-watch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("the command's exit status, 128 + N for signal N, 127 when it does not exist")
    func exitStatus() throws {
        let exited = try CLI.run(["watch", "--interval", "20ms", "--", "sh", "-c", "exit 3"])
        #expect(exited.status == 3)
        #expect(exited.standardError.contains("exit                 status 3") || exited.standardError.contains("status 3"))

        let killed = try CLI.run(["watch", "--interval", "20ms", "--", "sh", "-c", "kill -9 $$"])
        #expect(killed.status == 137)
        #expect(killed.standardError.contains("killed by signal 9"))

        let missing = try CLI.run(["watch", "--", "no-such-command-here", "x"])
        #expect(missing.status == 127)
        #expect(missing.standardError == "headroom: cannot run no-such-command-here: command not found\n")
    }

    @Test("an unwritable output fails before the command starts")
    func unwritableOutput() throws {
        let directory = try Self.temporaryDirectory()
        let marker = directory + "/started"
        let result = try CLI.run(["watch", "--timeline", "/nonexistent/dir/run.csv", "--", "touch", marker])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("Error: cannot write /nonexistent/dir/run.csv: "))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("a tree that allocates, forks and frees: peaks, timeline, JSON, chart and report agree")
    func outputs() throws {
        let directory = try Self.temporaryDirectory()
        let script = """
            import os, time
            block = bytearray(64 << 20)
            for i in range(0, len(block), 4096): block[i] = 1
            pid = os.fork()
            if pid == 0:
                time.sleep(0.4); os._exit(0)
            time.sleep(0.4); os.waitpid(pid, 0)
            del block
            time.sleep(0.2)
            """
        let result = try CLI.run(["watch", "--interval", "20ms", "--timeline", directory + "/run.csv",
                                  "--json", directory + "/run.json", "--chart", directory + "/run.svg",
                                  "--report", directory + "/run.html", "--", "python3", "-c", script])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("── headroom watch"))

        let json = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: directory + "/run.json"))) as? [String: Any])
        let samples = try #require(json["samples"] as? [[String: Any]])
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary.int("peakTreeRSS.bytes").map { $0 >= 64 << 20 } == true, "\(summary)")
        // The parent and its fork at least (a python launcher may add its own processes).
        #expect(summary.int("peakProcesses").map { $0 >= 2 } == true)
        #expect(summary.int("exitStatus") == 0)
        #expect(summary.at("leak.isLeak") as? Bool == false)

        let rows = try String(contentsOfFile: directory + "/run.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.first?.hasPrefix("time_s,memory_used_bytes,memory_limit_bytes") == true)
        #expect(rows.count == samples.count + 1)
        let peakInCSV = rows.dropFirst().compactMap { Int64($0.split(separator: ",", omittingEmptySubsequences: false)[7]) }.max()
        #expect(peakInCSV == summary.int("peakTreeRSS.bytes"))

        let svg = try String(contentsOfFile: directory + "/run.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("watched tree (RSS)"))
        let html = try String(contentsOfFile: directory + "/run.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("peak tree RSS"))
    }

    @Test("SIGTERM to headroom reaches the command, and its status comes back")
    func forwardsTerm() throws {
        let process = Process()
        process.executableURL = CLI.runner.executable
        process.arguments = ["watch", "--interval", "20ms", "--", "sh", "-c",
                             "trap 'exit 7' TERM; while :; do sleep 0.05; done"]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["HEADROOM_NVML_LIBRARY": "/nonexistent/libnvidia-ml.so.1"]) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 7)
    }

    @Test("--pid follows a running process until it exits")
    func attach() throws {
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["0.5"]
        try sleeper.run()
        let result = try CLI.run(["watch", "--interval", "20ms", "--pid", "\(sleeper.processIdentifier)"])
        sleeper.waitUntilExit()
        #expect(result.status == 0)
        #expect(result.standardError.contains("peak tree RSS"))
        let gone = try CLI.run(["watch", "--pid", "999999999"])
        #expect(gone.status == 1)
        #expect(gone.standardError == "Error: no process 999999999\n")
    }

    @Test("bad usage is 64")
    func usage() throws {
        for arguments in [["watch"], ["watch", "--pid", "1", "--", "true"], ["watch", "--interval", "1ms", "--", "true"],
                          ["watch", "--interval", "soon", "--", "true"]] {
            #expect(try CLI.run(arguments).status == 64, "\(arguments)")
        }
    }
}
