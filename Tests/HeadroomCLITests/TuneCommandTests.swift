import Foundation
import Testing

/// `headroom tune` running real programs: shell scripts that fail above a hidden size.
@Suite("headroom tune")
struct TuneCommandTests {
    /// A script in a fresh directory, made executable.
    static func script(_ body: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-tune-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("train.sh").path
        try Data(("#!/bin/sh\n" + body).utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    /// Fits up to 37, like a model whose 38th item does not fit; prints PyTorch's message above it.
    static let hiddenLimit = """
        echo "loading model"
        if [ "$1" -gt 37 ]; then
            echo "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB" >&2
            exit 1
        fi
        echo "batch $1 done"
        """

    @Test("finds the hidden limit of a real program, with {batch} in its arguments")
    func hiddenLimit() throws {
        let path = try Self.script(Self.hiddenLimit)
        let result = try CLI.run(["tune", "--", path, "{batch}"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first == "largest batch that fits: 37 (38 runs out of memory)")
        #expect(lines.dropFirst().first == "recommended: 33 (90% of 37, room for inputs that vary)")
        #expect(lines.last?.hasPrefix("trials: 13, 4 out of memory, ") == true)
        #expect(result.standardError.contains("batch 64: out of memory (printed \"torch.OutOfMemoryError: CUDA out of memory."))
    }

    @Test("--json: the report, every trial with its reason")
    func json() throws {
        let path = try Self.script(Self.hiddenLimit)
        let result = try CLI.run(["tune", "--json", "--margin", "80%", "--", path, "{batch}"])
        #expect(result.status == 0)
        let json = try CLI.json(result)
        #expect(json.int("report.largestFitting") == 37)
        #expect(json.int("report.smallestFailing") == 38)
        #expect(json.int("report.recommended") == 29)
        let trials = try #require(json.at("report.trials") as? [[String: Any]])
        #expect(trials.count == 13)
        #expect(trials[6]["outcome"] as? String == "outOfMemory")
        // Standard output and error are read side by side, so their lines may interleave either way.
        #expect((trials[6]["lastLines"] as? [String])?.sorted() == ["loading model",
                                                                     "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB"])
        #expect(json.at("error") == nil)
    }

    @Test("the size in HEADROOM_BATCH_SIZE, the kernel's SIGKILL as out of memory")
    func environmentAndKill() throws {
        let path = try Self.script("""
            if [ "$HEADROOM_BATCH_SIZE" -gt 20 ]; then kill -9 $$; fi
            """)
        let result = try CLI.run(["tune", "--max", "100", "--", path])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("largest batch that fits: 20 (21 runs out of memory)\n"))
        #expect(result.standardError.hasPrefix("note: no {batch} in the command; the size is given only as HEADROOM_BATCH_SIZE\n"))
        #expect(result.standardError.contains("killed by SIGKILL, as the kernel's OOM killer does"))
    }

    @Test("a long-running program: the success marker or the trial time decides, and the run is stopped")
    func longRunning() throws {
        let marker = try Self.script("""
            if [ "$1" -gt 5 ]; then echo "RuntimeError: CUDA error: out of memory"; sleep 60; fi
            echo "step 1 done"; sleep 60
            """)
        let started = Date()
        let byMarker = try CLI.run(["tune", "--success-marker", "step 1 done", "--max", "16", "--", marker, "{batch}"])
        #expect(byMarker.standardOutput.hasPrefix("largest batch that fits: 5 (6 runs out of memory)\n"))

        let quiet = try Self.script("""
            if [ "$1" -gt 3 ]; then echo "MPS backend out of memory"; fi
            sleep 60
            """)
        let byTime = try CLI.run(["tune", "--trial-seconds", "0.2", "--max", "8", "--", quiet, "{batch}"])
        #expect(byTime.standardOutput.hasPrefix("largest batch that fits: 3 (4 runs out of memory)\n"))
        #expect(byTime.standardError.contains("batch 2: fits (ran 0 s without running out of memory"))
        #expect(Date().timeIntervalSince(started) < 30, "a trial was not stopped")
    }

    @Test("other failures stop tuning with the program's last lines; bad usage is 64")
    func failures() throws {
        let failing = try Self.script("""
            echo "reading data"
            if [ "$1" -ge 4 ]; then echo "ValueError: shape mismatch" >&2; exit 3; fi
            """)
        let result = try CLI.run(["tune", "--", failing, "{batch}"])
        #expect(result.status == 1)
        // Its standard output and error are read side by side, so the two lines may come either way round.
        let message = "Error: the program failed at batch size 4 (exited 3), not for lack of memory; its last lines are above\n"
        #expect(result.standardError.hasSuffix(message), "\(result.standardError)")
        let lines = result.standardError.split(separator: "\n").filter { $0.hasPrefix("  | ") }
        #expect(lines.sorted() == ["  | ValueError: shape mismatch", "  | reading data"])

        let missing = try CLI.run(["tune", "--", "/nonexistent/train", "{batch}"])
        #expect(missing.status == 1)
        #expect(missing.standardError.hasSuffix("Error: cannot run /nonexistent/train: command not found\n"))

        let extra = try CLI.run(["tune", "--oom-pattern", "arena exhausted", "--", try Self.script("""
            if [ "$1" -gt 2 ]; then echo "Arena Exhausted in pool 3"; exit 1; fi
            """), "{batch}"])
        #expect(extra.standardOutput.hasPrefix("largest batch that fits: 2 (3 runs out of memory)\n"))

        for arguments in [["tune"], ["tune", "--start", "0", "--", "true"], ["tune", "--margin", "150%", "--", "true"],
                          ["tune", "--max", "2", "--start", "4", "--", "true"], ["tune", "--trial-seconds", "-1", "--", "true"]] {
            #expect(try CLI.run(arguments).status == 64, "\(arguments)")
        }
    }
}
