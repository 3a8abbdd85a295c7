import Foundation
import Testing

@Suite("headroom diagnose")
struct DiagnoseCommandTests {
    @Test("the report for people has every section and this machine's RAM")
    func humanReport() throws {
        let result = try CLI.run(["diagnose"])
        #expect(result.status == 0, "\(result.standardError)")
        for section in ["System", "Host memory", "Container", "Process ", "GPUs", "Recommendations (balanced", "Recommended settings"] {
            #expect(result.standardOutput.contains("\n\(section)") || result.standardOutput.hasPrefix(section), "missing section \(section)")
        }
        let total = try CLI.memTotal()
        let expected = formatGiB(total)
        #expect(result.standardOutput.contains("total         \(expected)"), "host total \(expected) not shown")
        #expect(result.standardOutput.contains("cannot load /nonexistent/libnvidia-ml.so.1"))
        #expect(result.standardError.isEmpty)
    }

    @Test("--json holds the contract: schemaVersion, host, container, process, gpus, recommendations")
    func jsonContract() throws {
        let result = try CLI.run(["diagnose", "--json", "--level", "conservative"])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try CLI.json(result)
        #expect(json.int("schemaVersion") == 1)
        for key in ["host", "container", "process", "gpus", "recommendations", "cpu", "system", "gpuDriver"] {
            #expect(json.keys.contains(key), "missing key \(key)")
        }
        let total = try CLI.memTotal()
        #expect(json.int("host.totalBytes") == total)
        let available = try #require(json.int("host.availableBytes"))
        #expect(json.int("host.usedBytes") == total - available)
        #expect((json.at("gpus") as? [Any])?.isEmpty == true)
        #expect(json.at("gpuDriver.isAvailable") as? Bool == false)
        // container is null exactly when the cgroup sets no limit.
        let hasLimit = json.int("cgroup.limitBytes") != nil
        #expect((json.at("container") is NSNull) == !hasLimit)
        #expect(json.int("process.root.pid") != nil)
        #expect((json.int("process.root.rssBytes") ?? 0) > 0)
        #expect(json.string("recommendations.level") == "conservative")
        #expect(json.double("recommendations.safetyMargin") == 0.5)
        let cap = try #require(json.int("recommendations.hostMemoryCapBytes"))
        #expect(cap > 0 && cap <= available)
        #expect(json.int("recommendations.threads") == json.int("cpu.effective"))
        // Every size key holds an integer, written as digits.
        for line in result.standardOutput.split(separator: "\n") where line.contains("Bytes\" :") {
            let value = line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces.union(.init(charactersIn: ",")))
            #expect(value == "null" || (Int64(value) ?? -1) >= 0, "\(line)")
        }
    }

    @Test("--pid reports another process tree; a missing PID is one clear error, exit 1")
    func pidOption() throws {
        let parent = getpid()
        let result = try CLI.run(["diagnose", "--json", "--pid", String(parent)])
        #expect(result.status == 0)
        let json = try CLI.json(result)
        #expect(json.int("process.root.pid") == Int64(parent))
        let processes = try #require(json.at("process.processes") as? [Any])
        #expect(processes.count >= 2, "the test runner's tree includes the headroom child")

        let missing = try CLI.run(["diagnose", "--pid", "2147483647"])
        #expect(missing.status == 1)
        #expect(missing.standardError.hasPrefix("Error: no process 2147483647"))
        #expect(missing.standardError.split(separator: "\n").count == 1)
    }

    @Test("bad usage exits 64 with a message naming the flag", arguments: [
        ["diagnose", "--level", "bogus"],
        ["diagnose", "--pid", "-5"],
        ["diagnose", "--pid", "abc"],
        ["diagnose", "--no-such-flag"],
    ])
    func badUsage(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.standardError)")
        #expect(result.standardError.hasPrefix("Error:"))
        #expect(!result.standardError.contains("Fatal error"))
    }

    @Test("a root without /proc/meminfo is one line, exit 1")
    func unreadableRoot() throws {
        let result = try CLI.run(["diagnose", "--system-root", "/nonexistent-root"])
        #expect(result.status == 1)
        #expect(result.standardError == "Error: cannot read host memory: /nonexistent-root/proc/meminfo: cannot open: No such file or directory\n")
    }

    @Test("a file that is not a library at HEADROOM_NVML_LIBRARY degrades the GPU section, not the report")
    func corruptLibrary() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("corrupt-nvml-\(UUID().uuidString).so").path
        try Data("this is not an ELF file".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLI.run(["diagnose", "--json"], nvml: path)
        #expect(result.status == 0)
        let json = try CLI.json(result)
        #expect(json.at("gpuDriver.isAvailable") as? Bool == false)
        let reason = try #require(json.string("gpuDriver.issues.0.reason"))
        #expect(reason.contains(path))
        #expect(reason.contains("invalid ELF header") || reason.contains("too short"))
    }

    @Test("help explains the command and exits 0")
    func help() throws {
        let result = try CLI.run(["diagnose", "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("USAGE: headroom diagnose"))
        #expect(result.standardOutput.contains("HEADROOM_NVML_LIBRARY"))
        #expect(!result.standardOutput.contains("system-root"), "the fixture flag stays hidden")
    }
}

/// `ByteCount`'s formatting for sizes of a GiB or more, computed independently.
func formatGiB(_ bytes: Int64) -> String {
    let value = Double(bytes) / Double(1 << 30)
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) GiB"
}
