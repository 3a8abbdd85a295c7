import Foundation
import Glibc
import HeadroomSystemTestKit
import Testing

/// `headroom` given hostile input: huge numbers, files that block, control characters,
/// headers that amplify memory, outputs that cannot be written, children that linger,
/// floods of connections. Each run is bounded in time and memory, must not end by a
/// signal, and explains a failure in one printable line (see ``Robust``).
@Suite("headroom under hostile input")
struct RobustnessTests {
    static let nearTwoTo62 = "4611686018427387904"
    static let pwned = "\u{1B}]0;pwned\u{07}\n"

    // MARK: 0. The harness itself

    @Test("the harness stops a hang, sees a signal, and measures the program's peak RSS, not its own")
    func harness() throws {
        let hang = try Robust.spawn("/bin/sh", ["-c", "sleep 30"], timeout: 0.5)
        #expect(hang.timedOut && hang.seconds < 3, "\(hang)")
        let trap = try Robust.spawn("/bin/sh", ["-c", "kill -ILL $$"], timeout: 5)
        #expect(trap.signal == SIGILL && trap.status == 128 + SIGILL, "\(trap)")
        let small = try Robust.spawn("/bin/sh", ["-c", "echo one >&2; exit 3"], timeout: 5)
        #expect(small.status == 3 && small.signal == nil && Robust.isOneLine(small.standardError), "\(small)")
        #expect(small.peakRSS < 32 << 20, "a shell's peak RSS read as \(small.peakRSS >> 20) MiB")
        let large = try Robust.spawn("/bin/sh", ["-c", "exec python3 -c \"b = b'\\x01' * (100 << 20)\""], timeout: 10)
        #expect(large.status == 0 && large.peakRSS >= 100 << 20, "\(large)")
        #expect(!Robust.isOneLine(Data("one\ntwo\n".utf8)) && !Robust.isOneLine(Data("a\u{1B}[31m\n".utf8)))
    }

    // MARK: 1. Arithmetic traps on untrusted numbers

    @Test("config.json sizes near 2^62: exit 1 in one line; all at the largest a model may have: no trap",
          arguments: ["hidden_size", "intermediate_size", "num_hidden_layers", "vocab_size", "all", "all at 2^31"])
    func hugeConfigNumbers(field: String) throws {
        let fields = ["hidden_size", "intermediate_size", "num_hidden_layers", "vocab_size"]
        var overrides: [String: String] = [:]
        switch field {
        case "all": for name in fields { overrides[name] = Self.nearTwoTo62 }
        case "all at 2^31":
            for name in fields + ["num_attention_heads", "num_key_value_heads", "max_position_embeddings"] { overrides[name] = "2147483648" }
        default: overrides[field] = Self.nearTwoTo62
        }
        let directory = try Robust.model(config: Robust.config(overrides))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Past the largest size a model may have: refused. At it: products overflow Int64, so a
        // clean plan (saturated sizes) or a clean refusal, never a trap.
        let statuses: Set<Int32> = field == "all at 2^31" ? [0, 1] : [1]
        for extra in [[], ["--json"], ["--training", "--gpu-memory", "80GiB"]] {
            let outcome = try Robust.run(["plan", directory] + extra, timeout: 10)
            Robust.expect(outcome, status: statuses, maxSeconds: 10, "plan \(extra) with \(field) huge")
        }
    }

    @Test("GGUF embedding_length and feed_forward_length near 2^62: exit 1 in one line, no trap")
    func hugeGGUFNumbers() throws {
        let directory = try Robust.directory("gguf")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let huge = UInt64(1) << 62
        for (embedding, feedForward) in [(huge, UInt64(512)), (UInt64(256), huge), (huge, huge)] {
            let metadata: [(String, UInt32, [UInt8])] = [
                ("general.architecture", Robust.str("llama")), ("llama.block_count", Robust.u32(2)),
                ("llama.embedding_length", Robust.u64(embedding)), ("llama.attention.head_count", Robust.u32(8)),
                ("llama.attention.head_count_kv", Robust.u32(2)), ("llama.context_length", Robust.u32(128)),
                ("llama.feed_forward_length", Robust.u64(feedForward)),
            ].map { ($0.0, $0.1.0, $0.1.1) }
            let path = directory + "/model-\(embedding)-\(feedForward).gguf"
            try Data(Robust.gguf(metadata: metadata, tensors: [("token_embd.weight", [16, 4]), ("blk.0.ffn_up.weight", [16])]))
                .write(to: URL(fileURLWithPath: path))
            let outcome = try Robust.run(["plan", path], timeout: 10)
            Robust.expect(outcome, status: [1], maxSeconds: 10, "plan GGUF embedding \(embedding) feed-forward \(feedForward)")
        }
    }

    @Test("watch --interval 1e20s is bad usage: exit 64, no trap")
    func hugeInterval() throws {
        for interval in ["1e20s", "1e300h", "9223372036854775807ms"] {
            let outcome = try Robust.run(["watch", "--interval", interval, "--", "true"], timeout: 5)
            Robust.expect(outcome, status: [64], maxSeconds: 5, "watch --interval \(interval)")
            #expect(Robust.firstLine(outcome).contains("--interval"), "\(outcome)")
        }
    }

    @Test("tune --start 2^62 --max Int64.max: a clean exit, never a trap")
    func hugeTuneRange() throws {
        let outcome = try Robust.run(["tune", "--start", Self.nearTwoTo62, "--max", "9223372036854775807", "--", "true"], timeout: 10)
        Robust.expect(outcome, status: [0, 1, 64], maxSeconds: 10, progress: true, "tune --start 2^62 --max Int64.max")
    }

    // MARK: 2. Blocking opens

    @Test("a FIFO as the model, or as model.safetensors in a directory: no hang, exit 1 in one line")
    func fifoModel() throws {
        let directory = try Robust.directory("fifo")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Robust.fifo(directory + "/model.safetensors")
        for target in [directory + "/model.safetensors", directory] {
            let outcome = try Robust.run(["plan", target], timeout: 5)
            Robust.expect(outcome, status: [1], maxSeconds: 5, "plan \(target)")
        }
    }

    @Test("a FIFO as a shard in model.safetensors.index.json: no hang, exit 1 in one line")
    func fifoShard() throws {
        let directory = try Robust.directory("fifo-shard")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Robust.fifo(directory + "/model-00001-of-00001.safetensors")
        try Data(#"{"metadata":{"total_size":32},"weight_map":{"model.embed_tokens.weight":"model-00001-of-00001.safetensors"}}"#.utf8)
            .write(to: URL(fileURLWithPath: directory + "/model.safetensors.index.json"))
        let outcome = try Robust.run(["plan", directory], timeout: 5)
        Robust.expect(outcome, status: [1], maxSeconds: 5, "plan with a FIFO shard")
    }

    @Test("HEADROOM_NVML_LIBRARY at a FIFO: diagnose --json finishes, exit 0, and says why NVML is unavailable")
    func fifoNVML() throws {
        let directory = try Robust.directory("fifo-nvml")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/libnvidia-ml.so.1"
        try Robust.fifo(fifo)
        let outcome = try Robust.run(["diagnose", "--json"], timeout: 5, nvml: fifo)
        Robust.expect(outcome, status: [0], maxSeconds: 5, "diagnose --json with NVML at a FIFO")
        guard outcome.status == 0, !outcome.timedOut else { return }
        let json = try #require(try JSONSerialization.jsonObject(with: outcome.standardOutput) as? [String: Any])
        #expect(json.at("gpuDriver.isAvailable") as? Bool == false)
        let reason = (json.at("gpuDriver.issues") as? [[String: Any]])?.first?["reason"] as? String
        #expect(reason.map { !$0.isEmpty } == true, "no reason given: \(json["gpuDriver"] ?? "nothing")")
    }

    @Test("watch --timeline at a FIFO nobody reads: no hang; an error before the command starts, or a normal run")
    func fifoTimeline() throws {
        let directory = try Robust.directory("fifo-timeline")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/timeline.csv"
        let marker = directory + "/started"
        try Robust.fifo(fifo)
        let outcome = try Robust.run(["watch", "--interval", "50ms", "--timeline", fifo, "--", "touch", marker], timeout: 5)
        Robust.expect(outcome, status: [0, 1], maxSeconds: 5, "watch --timeline FIFO")
        if outcome.status == 1 {
            #expect(!FileManager.default.fileExists(atPath: marker), "the command ran although watch failed")
        }
    }

    // MARK: 3. Control characters from model files

    @Test("escape sequences and newlines in model_type and tensor names never reach the terminal raw")
    func controlCharactersInModel() throws {
        let directory = try Robust.model(config: Robust.config(["model_type": Robust.jsonString("llama" + Self.pwned)]),
                                         names: ["model.embed_tokens" + Self.pwned + ".weight", "model.layers.0.mlp.weight"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for extra in [[], ["--gpu-memory", "8GiB"], ["--training"]] {
            let outcome = try Robust.run(["plan", directory] + extra, timeout: 10)
            Robust.expect(outcome, status: [0, 1], maxSeconds: 10, "plan \(extra) with control characters")
            for (stream, bytes) in [("stdout", outcome.standardOutput), ("stderr", outcome.standardError)] {
                #expect(!bytes.contains(0x1B), "ESC on \(stream): \(outcome.output.debugDescription.prefix(400))")
                #expect(!bytes.contains(0x07), "BEL on \(stream)")
            }
            #expect(outcome.standardError.isEmpty || Robust.isOneLine(outcome.standardError), "\(outcome)")
        }
    }

    @Test("a tensor name with control characters in an error: one escaped line")
    func controlCharactersInError() throws {
        let directory = try Robust.directory("ctl-error")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/model.safetensors"
        let name = Robust.jsonString("w" + Self.pwned)
        try Robust.writeSafetensors(path, header: Array("{\(name):{\"dtype\":\"NOPE\",\"shape\":[4],\"data_offsets\":[0,8]}}".utf8), dataBytes: 8)
        let outcome = try Robust.run(["plan", path], timeout: 5)
        Robust.expect(outcome, status: [1], maxSeconds: 5, "plan with a control-character tensor name and a bad dtype")
    }

    @Test("a missing model path with an escape sequence: one escaped line, exit 1")
    func controlCharactersInPath() throws {
        let path = FileManager.default.temporaryDirectory.path + "/headroom-x-\(UUID().uuidString)\u{1B}[31mred\u{07}\nsecond"
        let outcome = try Robust.run(["plan", path], timeout: 5)
        Robust.expect(outcome, status: [1], maxSeconds: 5, "plan on a missing path with an escape sequence")
    }

    // MARK: 6. Processes left behind by tune

    @Test("tune leaves no background process of a trial running")
    func tuneLeftovers() throws {
        let directory = try Robust.directory("tune-leftovers")
        let pidFile = directory + "/pids"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try Robust.run(["tune", "--max", "4", "--", "sh", "-c", "sleep 30 & echo $! >> '\(pidFile)'; exit 0"], timeout: 15)
        let finished = ContinuousClock.now
        let pids = ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { pid_t($0) }
        // Wait up to 2 s for all of them to be gone, then stop any left (ours: a `sleep` we started).
        var alive = pids
        while !alive.isEmpty && Robust.seconds(ContinuousClock.now - finished) < 2 {
            usleep(50_000)
            alive = alive.filter(Self.isRunningSleep)
        }
        for pid in alive { kill(pid, SIGKILL) }
        Robust.expect(outcome, status: [0], maxSeconds: 15, "tune --max 4 with a background sleep")
        #expect(!pids.isEmpty, "no trial ran: \(outcome)")
        #expect(alive.isEmpty, "still running 2 s after tune exited: \(alive) of \(pids)")
    }

    /// Whether `pid` is a live (not zombie) `sleep`.
    static func isRunningSleep(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let name = stat[stat.index(after: stat.firstIndex(of: "(")!)..<close]
        let state = stat[stat.index(close, offsetBy: 2)...].first
        return name == "sleep" && state != "Z" && state != "X"
    }

    // MARK: 7. Peaks that sampling misses

    @Test("a 200 MiB peak between two samples still shows in the summary's peak RSS")
    func peakBetweenSamples() throws {
        let directory = try Robust.directory("watch-peak")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let json = directory + "/out.json"
        let outcome = try Robust.run(["watch", "--interval", "1s", "--json", json, "--", "python3", "-c",
                                      "import time; b = b'\\x01' * (200 * 1024 * 1024); time.sleep(0.2)"],
                                     timeout: 15)
        Robust.expect(outcome, status: [0], maxSeconds: 15, maxRSS: 512 << 20, "watch a short 200 MiB peak")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let peak = (summary["summary"] as? [String: Any])?.int("peakTreeRSS.bytes") ?? 0
        #expect(peak >= 190 << 20, "peak tree RSS \(peak) bytes (\(peak >> 20) MiB); the child's was about 210 MiB")
    }

    // MARK: 8. --gpu-fraction

    @Test("env --gpu-fraction 1 is the whole GPU (or refused), never one byte; 0, 0% and a bare 12 are bad usage")
    func gpuFraction() throws {
        let nvml = try FakeNVML.library(scenario: """
            driver 550.54.15
            device name=NVIDIA_H100_80GB_HBM3 uuid=GPU-aaaa total=80GiB reserved=512MiB used=12GiB
            """)
        let whole = try Robust.run(["env", "--format", "json", "--gpu", "0", "--gpu-fraction", "1"], timeout: 5, nvml: nvml)
        Robust.expect(whole, status: [0, 64], maxSeconds: 5, "env --gpu-fraction 1")
        if whole.status == 0 {
            let json = try #require(try JSONSerialization.jsonObject(with: whole.standardOutput) as? [String: Any])
            #expect(json.int("gpuMemoryLimitBytes") == 80 << 30, "--gpu-fraction 1 read as \(json.int("gpuMemoryLimitBytes") ?? -1) bytes")
        }
        for share in ["0", "0%", "12", "0.0"] {
            let outcome = try Robust.run(["env", "--gpu", "0", "--gpu-fraction", share], timeout: 5, nvml: nvml)
            Robust.expect(outcome, status: [64], maxSeconds: 5, "env --gpu-fraction \(share)")
            #expect(Robust.firstLine(outcome).contains("--gpu-fraction"), "\(outcome)")
        }
    }

    // MARK: 9. Contradictions

    @Test("a negative context length or head count: exit 1 in one line, or a warning naming it; never a negative size",
          arguments: ["max_position_embeddings", "num_attention_heads", "num_key_value_heads"])
    func negativeConfig(field: String) throws {
        let directory = try Robust.model(config: Robust.config([field: "-128"]))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try Robust.run(["plan", directory, "--gpu-memory", "8GiB"], timeout: 10)
        Robust.expect(outcome, status: [0, 1], maxSeconds: 10, "plan with \(field) -128")
        if outcome.status == 0 {
            #expect(outcome.output.contains(field) || outcome.error.contains(field), "no warning names \(field)")
        }
        let negative = try NSRegularExpression(pattern: #"(^|[\s(:=,])-[0-9]"#, options: [.anchorsMatchLines])
        let text = outcome.output
        let match = negative.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(match == nil, "a negative number printed: \(match.map { (text as NSString).substring(with: $0.range) } ?? "")")
    }

    @Test("--measured points where memory falls as the batch grows: a warning that names them")
    func contradictoryMeasurements() throws {
        let directory = try Robust.model()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try Robust.run(["plan", directory, "--gpu-memory", "80GiB", "--measured", "1:10GiB", "--measured", "4:2GiB"], timeout: 10)
        Robust.expect(outcome, status: [0, 1, 64], maxSeconds: 10, "plan --measured 1:10GiB --measured 4:2GiB")
        let mentions = (outcome.output + "\n" + outcome.error).split(separator: "\n").filter { $0.lowercased().contains("measured") }
        #expect(!mentions.isEmpty, "nothing says the measurements contradict: \(outcome.output.prefix(400))")
    }

    @Test("an empty .onnx file: exit 1 in one line")
    func emptyONNX() throws {
        let directory = try Robust.directory("onnx")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/model.onnx"
        try Data().write(to: URL(fileURLWithPath: path))
        let outcome = try Robust.run(["plan", path], timeout: 5)
        Robust.expect(outcome, status: [1], maxSeconds: 5, "plan on a 0-byte .onnx")
    }

    @Test("an index with an empty weight_map: exit 1 in one line")
    func emptyWeightMap() throws {
        let directory = try Robust.directory("empty-index")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(#"{"metadata":{"total_size":0},"weight_map":{}}"#.utf8)
            .write(to: URL(fileURLWithPath: directory + "/model.safetensors.index.json"))
        for target in [directory, directory + "/model.safetensors.index.json"] {
            let outcome = try Robust.run(["plan", target], timeout: 5)
            Robust.expect(outcome, status: [1], maxSeconds: 5, "plan on an index with an empty weight_map (\(target))")
        }
    }

    // MARK: 11. Messages

    @Test("a negative --pid or --margin is bad usage naming the flag, not a missing value")
    func negativeFlagValues() throws {
        for (arguments, flag) in [(["diagnose", "--pid", "-5"], "--pid"), (["tune", "--margin", "-0.5", "--", "true"], "--margin"),
                                  (["watch", "--pid", "-5"], "--pid")] {
            let outcome = try Robust.run(arguments, timeout: 5)
            Robust.expect(outcome, status: [64], maxSeconds: 5, arguments.joined(separator: " "))
            #expect(!outcome.error.contains("Missing value"), "\(arguments): \(outcome)")
            #expect(Robust.firstLine(outcome).contains(flag), "\(arguments): \(outcome)")
        }
    }

    @Test("a symbolic-link loop is named as such, not as a missing file")
    func symlinkLoop() throws {
        let directory = try Robust.directory("links")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = directory + "/a.safetensors", second = directory + "/b.safetensors"
        try FileManager.default.createSymbolicLink(atPath: first, withDestinationPath: second)
        try FileManager.default.createSymbolicLink(atPath: second, withDestinationPath: first)
        let outcome = try Robust.run(["plan", first], timeout: 5)
        Robust.expect(outcome, status: [1], maxSeconds: 5, "plan on a symbolic-link loop")
        let message = outcome.error.lowercased()
        #expect(!message.contains("no such file"), "\(outcome)")
        #expect(message.contains("symbolic link") || message.contains("loop"), "\(outcome)")
    }

    @Test("a file without the execute bit: watch exits 126, and does not say 'not found'")
    func notExecutable() throws {
        let directory = try Robust.directory("noexec")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/train.sh"
        try Data("#!/bin/sh\necho hi\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let outcome = try Robust.run(["watch", "--", path], timeout: 5)
        Robust.expect(outcome, status: [126], maxSeconds: 5, "watch -- a file without the execute bit")
        #expect(!outcome.error.contains("not found"), "\(outcome)")
    }
}

// MARK: - Heavy runs, one at a time so their time and memory bounds hold on a small machine

extension RobustnessTests {
    @Suite("heavy hostile input", .serialized)
    struct Heavy {
        // MARK: 4. Memory amplification

        /// A model.safetensors whose JSON header `build` writes, with 32 bytes of data after it.
        static func amplifying(_ build: (inout [UInt8]) -> Void) throws -> (path: String, headerBytes: Int) {
            let directory = try Robust.directory("amplify")
            var header: [UInt8] = []
            header.reserveCapacity(60 << 20)
            build(&header)
            let path = directory + "/model.safetensors"
            try Robust.writeSafetensors(path, header: header, dataBytes: 32)
            return (path, header.count)
        }

        static let tensor = Array(#""w":{"dtype":"F16","shape":[16],"data_offsets":[0,32]}"#.utf8)

        @Test("a 20 MB header of one ignored __metadata__ array, of many empty arrays, or of 1,000,000 tensors: bounded time and memory",
              arguments: ["numbers", "empty arrays", "tensors"])
        func amplification(kind: String) throws {
            let (path, headerBytes) = try Self.amplifying { header in
                switch kind {
                case "numbers":
                    header += Array(#"{"__metadata__":{"format":"pt","x":["#.utf8)
                    for index in 0..<10_000_000 { header += index == 0 ? [0x30] : [0x2C, 0x30] }
                    header += Array("]},".utf8) + Self.tensor + [0x7D]
                case "empty arrays":
                    header += Array(#"{"__metadata__":{"format":"pt","x":["#.utf8)
                    for index in 0..<6_600_000 { header += index == 0 ? [0x5B, 0x5D] : [0x2C, 0x5B, 0x5D] }
                    header += Array("]},".utf8) + Self.tensor + [0x7D]
                default:
                    header += [0x7B]
                    for index in 0..<1_000_000 {
                        if index > 0 { header.append(0x2C) }
                        header += Array("\"\(index)\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}".utf8)
                    }
                    header += [0x7D]
                }
            }
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let bound = 4 * Int64(headerBytes) + (100 << 20)
            let outcome = try Robust.run(["plan", path], timeout: 20)
            Robust.expect(outcome, status: [0, 1], maxSeconds: 20, maxRSS: bound,
                          "plan on a \(headerBytes >> 20) MiB header of \(kind) (bound \(bound >> 20) MiB)")
        }

        // MARK: 5. Write errors

        @Test("standard output on a full disk: exit 1 in one line", arguments: ["env", "diagnose", "plan", "plan --json"])
        func fullDisk(command: String) throws {
            let directory = try Robust.model()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var arguments = command.split(separator: " ").map(String.init)
            if arguments[0] == "plan" { arguments.insert(directory, at: 1) }
            let outcome = try Robust.run(arguments, timeout: 10, standardOutput: "/dev/full")
            Robust.expect(outcome, status: [1], maxSeconds: 10, "headroom \(command) > /dev/full")
        }

        @Test("two of watch's outputs at one path are refused before the command starts",
              arguments: [["--timeline", "--json"], ["--chart", "--report"], ["--json", "--report"]])
        func sameOutputPath(flags: [String]) throws {
            let directory = try Robust.directory("same-output")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let same = directory + "/same.out", marker = directory + "/started"
            let outcome = try Robust.run(["watch", "--interval", "50ms", flags[0], same, flags[1], same, "--", "touch", marker], timeout: 5)
            Robust.expect(outcome, status: [1, 64], maxSeconds: 5, "watch \(flags[0]) X \(flags[1]) X")
            #expect(!FileManager.default.fileExists(atPath: marker), "the command ran")
        }

        // MARK: 10. serve under a flood of connections

        @Test("2,000 idle connections: a scrape still answers within 1 s")
        func connectionFlood() throws {
            let started = ContinuousClock.now
            var limit = rlimit()
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            if limit.rlim_cur < 4_200 {
                limit.rlim_cur = min(4_200, limit.rlim_max)
                setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            }
            let (server, port, log) = try Self.startServer()
            var sockets: [Int32] = []
            defer {
                for socket in sockets { close(socket) }
                if server.isRunning { server.terminate(); server.waitUntilExit() }
                try? FileManager.default.removeItem(atPath: log)
            }
            while sockets.count < 2_000 && Robust.seconds(ContinuousClock.now - started) < 15 {
                guard let socket = Self.connect(port: port, timeout: 2) else { break }
                sockets.append(socket)
            }
            #expect(sockets.count == 2_000, "only \(sockets.count) connections opened in 15 s")

            let scrapeStart = ContinuousClock.now
            let response = try Self.exchange("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", port: port, timeout: 1)
            let scrape = Robust.seconds(ContinuousClock.now - scrapeStart)
            #expect(response.text.hasPrefix("HTTP/1.1 200"), "no answer under the flood: \(response.text.prefix(200).debugDescription)")
            #expect(scrape <= 1, "the scrape took \(scrape) s")
            #expect(server.isRunning, "the server exited under the flood")
            #expect(Robust.seconds(ContinuousClock.now - started) <= 30)
        }

        @Test("HTTP/1.0 gets Connection: close or a closed socket; HEAD /metrics is 200 with no body")
        func http10AndHead() throws {
            let (server, port, log) = try Self.startServer()
            defer {
                if server.isRunning { server.terminate(); server.waitUntilExit() }
                try? FileManager.default.removeItem(atPath: log)
            }

            let old = try Self.exchange("GET /metrics HTTP/1.0\r\n\r\n", port: port, timeout: 2)
            let headers = old.text.components(separatedBy: "\r\n\r\n").first?.lowercased() ?? ""
            #expect(old.text.hasPrefix("HTTP/1.") && old.text.contains(" 200 "), "\(old.text.prefix(200).debugDescription)")
            #expect(headers.contains("\r\nconnection: close") || old.closed,
                    "an HTTP/1.0 response kept the connection open without Connection: close: \(headers.debugDescription)")

            let head = try Self.exchange("HEAD /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", port: port, timeout: 2)
            #expect(head.text.hasPrefix("HTTP/1.1 200"), "HEAD /metrics: \(head.text.prefix(200).debugDescription)")
            let body = head.text.range(of: "\r\n\r\n").map { head.text[$0.upperBound...] } ?? ""
            #expect(body.isEmpty, "HEAD /metrics sent a body of \(body.utf8.count) bytes")
        }

        /// Starts `headroom serve` on a free loopback port; waits at most 10 s for the line that names it.
        static func startServer() throws -> (Process, Int, String) {
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-serve-\(UUID().uuidString).log").path
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let process = Process()
            process.executableURL = CLI.runner.executable
            process.arguments = ["serve", "--listen", "127.0.0.1:0", "--interval", "200ms"]
            process.environment = ProcessInfo.processInfo.environment.merging(["HEADROOM_NVML_LIBRARY": Robust.noNVML]) { $1 }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            try process.run()
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if let line = text.split(separator: "\n").first(where: { $0.hasSuffix("/metrics") }),
                   let port = line.split(separator: ":").last.flatMap({ Int($0.split(separator: "/").first ?? "") }) {
                    return (process, port, log)
                }
                if !process.isRunning { break }
                usleep(20_000)
            }
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if process.isRunning { process.terminate(); process.waitUntilExit() }
            try? FileManager.default.removeItem(atPath: log)
            throw RobustError(description: "headroom serve did not say where it listens within 10 s: \(text.prefix(400))")
        }

        /// A TCP connection to 127.0.0.1:`port`, or nil when connecting fails or takes over `timeout` seconds.
        static func connect(port: Int, timeout: Int) -> Int32? {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard socket >= 0 else { return nil }
            var time = timeval(tv_sec: timeout, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { close(socket); return nil }
            return socket
        }

        /// Sends `request` and reads until the server closes the connection or `timeout` seconds pass.
        static func exchange(_ request: String, port: Int, timeout: Int) throws -> (text: String, closed: Bool) {
            let socket = try #require(connect(port: port, timeout: timeout), "cannot connect to port \(port)")
            defer { close(socket) }
            _ = request.withCString { send(socket, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            let deadline = ContinuousClock.now + .seconds(timeout)
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var closed = false
            while ContinuousClock.now < deadline {
                let count = recv(socket, &buffer, buffer.count, 0)
                if count == 0 { closed = true; break }
                if count < 0 { break }
                response += buffer[..<count]
            }
            return (String(decoding: response, as: UTF8.self), closed)
        }
    }
}
