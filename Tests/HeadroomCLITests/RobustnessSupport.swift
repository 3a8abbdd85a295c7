import Foundation
import Glibc
import HeadroomSystemTestKit
import Testing

/// Runs `headroom` (or any program) under a wall-clock limit and measures what it cost:
/// the exit status, or 128 + N when signal N ended it; both output streams; the time it
/// took; and its peak resident set size, `ru_maxrss` (its own, or a waited-for
/// descendant's, whichever is larger), as GNU time reports it (or `wait4`, without it).
enum Robust {
    /// One finished (or stopped) run.
    struct Outcome: CustomStringConvertible {
        /// The exit code, or 128 + N for signal N.
        var status: Int32
        /// The signal that ended the process, if one did.
        var signal: Int32?
        var standardOutput: Data
        var standardError: Data
        /// Wall-clock seconds from start to exit (or to the kill).
        var seconds: Double
        /// Peak resident set size in bytes.
        var peakRSS: Int64
        /// Whether the run went past its limit and was killed.
        var timedOut: Bool

        var output: String { String(decoding: standardOutput, as: UTF8.self) }
        var error: String { String(decoding: standardError, as: UTF8.self) }

        var description: String {
            let shown = error.count > 600 ? String(error.prefix(600)) + "…" : error
            return "status \(status)\(timedOut ? " (killed after the time limit)" : ""), "
                + "\(String(format: "%.2f", seconds)) s, peak RSS \(peakRSS >> 20) MiB, "
                + "stderr \(standardError.count) bytes: \(shown.debugDescription)"
        }
    }

    static let noNVML = "/nonexistent/libnvidia-ml.so.1"

    /// A fresh temporary directory for one test.
    static func directory(_ name: String = "robust") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `headroom arguments`, killing its process group when it runs past `timeout`
    /// seconds. NVML points at `nvml` (a missing library unless given). Standard output
    /// goes to `standardOutput` when given (a path opened for writing, such as
    /// `/dev/full`), otherwise it is captured; standard input is `/dev/null`.
    static func run(_ arguments: [String], timeout: Double, nvml: String = noNVML,
                    environment: [String: String] = [:], standardOutput: String? = nil) throws -> Outcome {
        try spawn(CLI.runner.executable.path, arguments, timeout: timeout,
                  environment: environment.merging(["HEADROOM_NVML_LIBRARY": nvml]) { $1 }, standardOutput: standardOutput)
    }

    /// Runs `executable arguments` as ``run(_:timeout:nvml:environment:standardOutput:)`` does.
    static func spawn(_ executable: String, _ arguments: [String], timeout: Double,
                      environment: [String: String] = [:], standardOutput: String? = nil) throws -> Outcome {
        let scratch = try directory("run")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = standardOutput ?? scratch + "/stdout"
        let errPath = scratch + "/stderr"

        // The peak RSS comes from GNU time, a small process that forks the program: `wait4` on a
        // child spawned straight from this (large) test process reports this process's own
        // high-water mark, which the kernel carries into the child across its exec.
        let report = scratch + "/rusage"
        let timer = "/usr/bin/time"
        let useTimer = access(timer, X_OK) == 0
        let command = useTimer ? [timer, "-o", report, "-f", "maxrss_kib %M", executable] + arguments : [executable] + arguments
        let started = ContinuousClock.now
        let pid: pid_t
        do {
            // Its own process group, so a timeout kills whatever it started too.
            pid = try TestProcess.spawn(command, environment: environment, streams: .init(
                output: outPath, error: errPath, createsOutput: standardOutput == nil))
        } catch {
            throw RobustError(description: "cannot start \(executable): \(error)")
        }

        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR {
                throw RobustError(description: "wait4 failed: \(String(cString: strerror(errno)))")
            }
            if seconds(ContinuousClock.now - started) > timeout {
                timedOut = true
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
                break
            }
            usleep(2_000)
        }
        let elapsed = Robust.seconds(ContinuousClock.now - started)
        // Whatever the process group left running (a timeout, or children it did not reap).
        if timedOut { kill(-pid, SIGKILL) }

        let termination = status & 0x7f
        var signal: Int32? = termination == 0 ? nil : termination
        var code: Int32 = signal.map { 128 + $0 } ?? ((status >> 8) & 0xff)
        var peak = Int64(usage.ru_maxrss) * 1024
        if useTimer, !timedOut {
            // GNU time exits 128 + N when signal N ended the program, and says so in its report.
            let lines = ((try? String(contentsOfFile: report, encoding: .utf8)) ?? "").split(separator: "\n")
            if let line = lines.first(where: { $0.hasPrefix("maxrss_kib ") }), let kib = Int64(line.dropFirst(11)) { peak = kib * 1024 }
            if let line = lines.first(where: { $0.hasPrefix("Command terminated by signal ") }),
               let number = Int32(line.dropFirst("Command terminated by signal ".count)) {
                signal = number
                code = 128 + number
            }
        }
        let out = standardOutput == nil ? ((try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()) : Data()
        let err = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
        return Outcome(status: code, signal: signal, standardOutput: out, standardError: err,
                       seconds: elapsed, peakRSS: peak, timedOut: timedOut)
    }

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }

    // MARK: - What a correct run looks like

    /// Whether `bytes` is one line of printable text: UTF-8, ending in its only newline,
    /// with no other control character (no ESC, no BEL, no CR, no tab, no C1 control).
    static func isOneLine(_ bytes: Data) -> Bool {
        guard bytes.count > 1, bytes.last == 0x0A, let text = String(data: bytes, encoding: .utf8) else { return false }
        return isPrintable(text.dropLast())
    }

    /// Whether `text` holds no control character at all (C0, DEL or C1).
    static func isPrintable<S: StringProtocol>(_ text: S) -> Bool {
        !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    /// Whether `bytes` is one printable `Error:` line, optionally followed by the argument
    /// parser's usage block (`Usage:`, `Help:`, `  See '… --help'`), all printable.
    static func isUsageError(_ bytes: Data) -> Bool {
        guard bytes.last == 0x0A, let text = String(data: bytes, encoding: .utf8) else { return false }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix("Error: "), lines.allSatisfy({ isPrintable($0) }) else { return false }
        return lines.dropFirst().allSatisfy {
            $0.hasPrefix("Usage: ") || $0.hasPrefix("Help: ") || $0.hasPrefix("  See '") || $0.hasPrefix("       ") || $0.isEmpty
        }
    }

    /// Records an issue unless `outcome` finished within its limit, was not ended by a
    /// signal, exited with one of `statuses`, stayed under `maxSeconds` and `maxRSS`, and
    /// (on a nonzero exit) explained itself on standard error in one printable line (for
    /// 64, the argument parser's usage block may follow that line).
    ///
    /// With `progress`, a command that reports progress on standard error (`tune`) may print
    /// printable progress lines before that one line, which must then start with `Error:`.
    static func expect(_ outcome: Outcome, status statuses: Set<Int32>, maxSeconds: Double,
                       maxRSS: Int64 = 256 << 20, progress: Bool = false, _ what: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!outcome.timedOut, "\(what): did not finish within \(maxSeconds) s: \(outcome)", sourceLocation: sourceLocation)
        #expect(outcome.signal == nil && outcome.status < 128, "\(what): ended by a signal: \(outcome)", sourceLocation: sourceLocation)
        #expect(statuses.contains(outcome.status), "\(what): expected exit \(statuses.sorted()): \(outcome)", sourceLocation: sourceLocation)
        #expect(outcome.seconds <= maxSeconds, "\(what): took \(outcome.seconds) s, more than \(maxSeconds) s", sourceLocation: sourceLocation)
        #expect(outcome.peakRSS <= maxRSS, "\(what): peak RSS \(outcome.peakRSS >> 20) MiB, more than \(maxRSS >> 20) MiB",
                sourceLocation: sourceLocation)
        if progress && outcome.status != 0 && outcome.status != 64 {
            let lines = outcome.error.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(outcome.standardError.last == 0x0A && lines.allSatisfy { isPrintable($0) && !$0.isEmpty }
                        && lines.last?.hasPrefix("Error: ") == true,
                    "\(what): standard error is not progress lines and one printable Error: line: \(outcome)", sourceLocation: sourceLocation)
        } else if outcome.status == 64 {
            #expect(isUsageError(outcome.standardError), "\(what): not one printable Error: line (and usage): \(outcome)",
                    sourceLocation: sourceLocation)
        } else if outcome.status != 0 {
            #expect(isOneLine(outcome.standardError), "\(what): standard error is not one printable line: \(outcome)",
                    sourceLocation: sourceLocation)
        }
    }

    /// The first line of standard error.
    static func firstLine(_ outcome: Outcome) -> String {
        String(outcome.error.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    // MARK: - Model files

    /// A safetensors file at `path` with `header` as its JSON header and `dataBytes` zero bytes after it.
    static func writeSafetensors(_ path: String, header: [UInt8], dataBytes: Int) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + dataBytes)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header
        bytes += [UInt8](repeating: 0, count: dataBytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// A JSON string literal for `text`, with control characters escaped as JSON requires.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// A small valid safetensors file with F16 tensors of 16 elements each, named `names`.
    static func smallSafetensors(_ path: String, names: [String] = ["model.embed_tokens.weight", "model.layers.0.mlp.weight"]) throws {
        var entries: [String] = []
        for (index, name) in names.enumerated() {
            entries.append("\(jsonString(name)):{\"dtype\":\"F16\",\"shape\":[16],\"data_offsets\":[\(index * 32),\(index * 32 + 32)]}")
        }
        try writeSafetensors(path, header: Array(("{" + entries.joined(separator: ",") + "}").utf8), dataBytes: names.count * 32)
    }

    /// A valid llama config.json, with `overrides` (raw JSON values) replacing its fields.
    static func config(_ overrides: [String: String] = [:]) -> String {
        var fields: [(String, String)] = [("model_type", "\"llama\""), ("num_hidden_layers", "2"), ("hidden_size", "256"),
                                           ("num_attention_heads", "8"), ("num_key_value_heads", "2"), ("intermediate_size", "512"),
                                           ("vocab_size", "100"), ("max_position_embeddings", "128")]
        fields = fields.map { ($0.0, overrides[$0.0] ?? $0.1) }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A directory with a small safetensors model and `config` as its config.json.
    static func model(config text: String = config(), names: [String]? = nil) throws -> String {
        let directory = try directory("model")
        if let names {
            try smallSafetensors(directory + "/model.safetensors", names: names)
        } else {
            try smallSafetensors(directory + "/model.safetensors")
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/config.json"))
        return directory
    }

    /// A GGUF v3 file: `metadata` (key, GGUF type number, little-endian value bytes) and
    /// `tensors` (name, dims in ggml order) of type F32, with zero data.
    static func gguf(metadata: [(String, UInt32, [UInt8])], tensors: [(String, [UInt64])]) -> [UInt8] {
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        func string(_ text: String) -> [UInt8] { le(UInt64(text.utf8.count)) + Array(text.utf8) }
        var bytes = Array("GGUF".utf8) + le(UInt32(3)) + le(UInt64(tensors.count)) + le(UInt64(metadata.count))
        for (key, type, value) in metadata { bytes += string(key) + le(type) + value }
        var offset: UInt64 = 0
        for (name, dims) in tensors {
            bytes += string(name) + le(UInt32(dims.count))
            for dim in dims { bytes += le(dim) }
            bytes += le(UInt32(0)) + le(offset)  // F32
            offset += (dims.reduce(1, *) * 4 + 31) / 32 * 32
        }
        while bytes.count % 32 != 0 { bytes.append(0) }
        return bytes + [UInt8](repeating: 0, count: Int(offset))
    }

    static func u32(_ value: UInt32) -> (UInt32, [UInt8]) { (4, withUnsafeBytes(of: value.littleEndian) { Array($0) }) }
    static func u64(_ value: UInt64) -> (UInt32, [UInt8]) { (10, withUnsafeBytes(of: value.littleEndian) { Array($0) }) }
    static func str(_ value: String) -> (UInt32, [UInt8]) {
        (8, withUnsafeBytes(of: UInt64(value.utf8.count).littleEndian) { Array($0) } + Array(value.utf8))
    }

    /// Makes a FIFO at `path`.
    static func fifo(_ path: String) throws {
        guard mkfifo(path, 0o600) == 0 else { throw RobustError(description: "mkfifo \(path): \(String(cString: strerror(errno)))") }
    }
}

struct RobustError: Error, CustomStringConvertible {
    var description: String
}

