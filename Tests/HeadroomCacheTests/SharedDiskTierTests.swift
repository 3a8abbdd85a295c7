import Foundation
import HeadroomCore
import Testing
@testable import HeadroomCache

/// Several processes, each with its own ``DiskTier`` on one directory: the
/// `disk-tier-hammer` executable, started by the test.
@Suite("One disk tier, many processes", .serialized)
struct SharedDiskTierTests {
    /// The hammer, built beside the test bundle (a dependency of this target).
    static let hammer = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("disk-tier-hammer")

    static func start(_ directory: String, capacity: Int, milliseconds: Int, seed: Int, mode: String,
                      output: Pipe?) throws -> Process {
        let process = Process()
        process.executableURL = hammer
        process.arguments = [directory, "\(capacity)", "\(milliseconds)", "\(seed)", mode]
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// What the test sees of the directory at one moment, holding its lock shared
    /// so that no holder changes it mid-look: the entry files, and the ledger.
    struct Sample {
        var count = 0
        var bytes = 0
        var sizes: [String: Int] = [:]
        var ledger: DiskLedger?
    }

    static func sample(_ path: String) -> Sample {
        let fd = open(path + "/" + DiskLedger.fileName, O_RDONLY | O_CLOEXEC)
        defer { if fd >= 0 { close(fd) } }
        if fd >= 0 { flock(fd, LOCK_SH) }
        defer { if fd >= 0 { flock(fd, LOCK_UN) } }
        var sample = Sample()
        var bytes = [UInt8](repeating: 0, count: DiskLedger.size)
        if fd >= 0, pread(fd, &bytes, bytes.count, 0) == bytes.count { sample.ledger = DiskLedger(decoding: bytes) }
        let entries = ((try? DiskFiles.list(path)) ?? []).filter { $0.name.hasSuffix(".hrc") && $0.name.utf8.count == 68 }
        for entry in entries { sample.sizes[entry.name] = entry.size }
        sample.count = entries.count
        sample.bytes = entries.reduce(0) { $0 + $1.size }
        return sample
    }

    /// What is wrong with a sample: the files over the bound, or a ledger that
    /// no holder is changing yet disagrees with the files.
    static func problem(_ sample: Sample, capacity: Int, largest: Int) -> String? {
        guard let ledger = sample.ledger else { return "the ledger does not decode" }
        if sample.bytes > capacity + largest { return "the entry files took \(sample.bytes) bytes" }
        guard !ledger.busy else { return nil }
        if sample.bytes > capacity { return "the entry files took \(sample.bytes) bytes, the ledger not busy" }
        if ledger.bytes != sample.bytes || ledger.count != sample.count {
            return "the ledger says \(ledger.count) entries, \(ledger.bytes) bytes; the directory has \(sample.count), \(sample.bytes)"
        }
        return nil
    }

    /// The entries the journal describes, replayed up to the ledger's length.
    static func journalEntries(_ path: String, length: Int) -> [String: Int]? {
        guard let data = FileManager.default.contents(atPath: path + "/" + DiskJournal.fileName),
              data.count >= length,
              let changes = DiskJournal.changes(in: [UInt8](data.prefix(length)), suffix: ".hrc") else { return nil }
        var entries: [String: Int] = [:]
        for change in changes {
            switch change {
            case let .added(name, size, _): entries[name] = size
            case let .removed(name): entries[name] = nil
            }
        }
        return entries
    }

    struct Round {
        var kills = 0
        var samples = 0
    }

    /// One round on a fresh directory: five steady processes (two mixed, one
    /// mostly reading, two writing) and a writer killed with SIGKILL at random
    /// moments and started again, the last time well before the others finish.
    /// The directory is sampled throughout and checked when all have exited.
    static func round(_ number: Int, milliseconds: Int) throws -> Round {
        let directory = TemporaryDirectory()
        // Two or three entries fill the tier: nearly every write evicts.
        let capacity = 8 * 1024
        // The header, the longest key ("key-39") and the longest payload the hammer writes.
        let largest = DiskEntryFormat.headerSize + 6 + 16 + 2999
        _ = try DiskTier(directory: directory.path, capacity: ByteCount(Int64(capacity)))

        let roles = [("mixed", 1), ("mixed", 2), ("reader", 3), ("writer", 4), ("writer", 5)]
        let outputs = roles.map { _ in Pipe() }
        let started = Date()
        let steady = try roles.enumerated().map { i, role in
            try start(directory.path, capacity: capacity, milliseconds: milliseconds, seed: number * 100 + role.1,
                      mode: role.0, output: outputs[i])
        }
        var random = SystemRandomNumberGenerator()
        var result = Round()
        var victim: Process? = try start(directory.path, capacity: capacity, milliseconds: 60_000,
                                         seed: number * 100 + 10, mode: "writer", output: nil)
        var killAt = Date().addingTimeInterval(Double.random(in: 0.05...0.15, using: &random))
        let lastKill = started.addingTimeInterval(Double(milliseconds) / 1000 - 0.25)
        var problems: [String] = []
        var lastKilled = Date.distantFuture
        var lastRunning = started
        while steady.contains(where: \.isRunning) {
            lastRunning = Date()
            let sample = sample(directory.path)
            result.samples += 1
            if let problem = problem(sample, capacity: capacity, largest: largest) { problems.append(problem) }
            if let running = victim, Date() >= killAt {
                kill(running.processIdentifier, SIGKILL)
                running.waitUntilExit()
                #expect(running.terminationReason == .uncaughtSignal)
                result.kills += 1
                victim = nil
                lastKilled = Date()
                if Date() < lastKill {
                    victim = try start(directory.path, capacity: capacity, milliseconds: 60_000,
                                       seed: number * 100 + 10 + result.kills, mode: "writer", output: nil)
                    killAt = min(lastKill, Date().addingTimeInterval(Double.random(in: 0.05...0.15, using: &random)))
                }
            }
            usleep(200)
        }
        if let running = victim {
            kill(running.processIdentifier, SIGKILL)
            running.waitUntilExit()
            result.kills += 1
            lastKilled = Date()
        }
        let clean = problems.isEmpty
        #expect(clean, "round \(number), \(problems.count) of \(result.samples) samples: \(problems.prefix(3))")

        var writes = 0
        for (process, output) in zip(steady, outputs) {
            process.waitUntilExit()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(text)")
            #expect(text.contains("ok reads="), "\(text)")
            #expect(!text.contains("violation"), "\(text)")
            writes += text.split(separator: " ").first { $0.hasPrefix("writes=") }.flatMap { Int($0.dropFirst(7)) } ?? 0
        }
        // Every process wrote throughout, so the checks above saw contention, not an idle directory.
        #expect(writes > 100, "round \(number): \(writes) writes")

        // Everyone has exited; the others went on well after the writer's last
        // death, so the last holder finished cleanly: the ledger, the journal and the files agree.
        let last = sample(directory.path)
        #expect(problem(last, capacity: capacity, largest: largest) == nil, "round \(number): \(problem(last, capacity: capacity, largest: largest) ?? "")")
        if lastRunning.timeIntervalSince(lastKilled) > 0.1, let ledger = last.ledger {
            #expect(!ledger.busy, "round \(number)")
            let journal = journalEntries(directory.path, length: ledger.journalLength)
            #expect(journal == last.sizes, "round \(number): the journal names \(journal?.count ?? -1) entries, the directory holds \(last.count)")
        }

        let reopened = try DiskTier(directory: directory.path, capacity: ByteCount(Int64(capacity)))
        let present = sample(directory.path)
        #expect(present.bytes <= capacity)
        #expect(reopened.count == present.count)
        #expect(reopened.bytes.bytes == Int64(present.bytes))
        #expect(directory.allFiles.allSatisfy { !$0.contains(".tmp-") }, "\(directory.allFiles)")
        for k in 0..<40 {
            let key = Array("key-\(k)".utf8)
            let stored = reopened.read(key: key) { $0.count >= 4 ? $0.loadUnaligned(as: UInt32.self).littleEndian : nil }
            if let stored { #expect(stored == UInt32(k)) }
        }
        #expect(reopened.statistics.corrupt == 0)
        let fresh: [UInt8] = (0..<500).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(fresh.withUnsafeBytes { reopened.write(key: Array("after".utf8), bytes: $0) })
        #expect(reopened.read(key: Array("after".utf8)) { Array($0) } == fresh)
        return result
    }

    @Test("six processes write, read, evict and die: the bound holds, the ledger agrees, no read is torn, the directory reopens")
    func manyProcesses() throws {
        var kills = 0
        var samples = 0
        for number in 0..<3 {
            let round = try Self.round(number, milliseconds: 650)
            kills += round.kills
            samples += round.samples
        }
        #expect(kills >= 4)
        #expect(samples > 100)
    }

    @Test("a holder killed mid-change and a dead writer's file: the next process rescans and cleans up")
    func repairAfterACrash() throws {
        let directory = TemporaryDirectory()
        let disk = try DiskTier(directory: directory.path, capacity: .kibibytes(8))
        let payload = [UInt8](repeating: 7, count: 1000)
        for i in 0..<3 { #expect(payload.withUnsafeBytes { disk.write(key: Array("k\(i)".utf8), bytes: $0) }) }
        // What a killed holder leaves: the ledger marked busy, an entry the journal never heard of.
        let other = TemporaryDirectory()
        let elsewhere = try DiskTier(directory: other.path, capacity: .kibibytes(8))
        #expect(payload.withUnsafeBytes { elsewhere.write(key: Array("stray".utf8), bytes: $0) })
        let stray = DiskTier.fileName(for: Array("stray".utf8))
        #expect(rename(other.file(stray), directory.file(stray)) == 0)
        var ledger = DiskLedger(decoding: [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.file(DiskLedger.fileName)))))
        ledger?.busy = true
        try Data(ledger?.encoded() ?? []).write(to: URL(fileURLWithPath: directory.file(DiskLedger.fileName)))
        // A dead writer's temporary file and a live one's (this process).
        let dead = stray + ".tmp-999999999-1"
        let live = DiskTemporaryName.make(for: stray)
        for name in [dead, live] { #expect(FileManager.default.createFile(atPath: directory.file(name), contents: Data([1]))) }

        #expect(disk.count == 4)
        #expect(disk.read(key: Array("stray".utf8)) { Array($0) } == payload)
        let reopened = try DiskTier(directory: directory.path, capacity: .kibibytes(8))
        #expect(!directory.files.contains(dead))
        #expect(directory.files.contains(live))
        #expect(reopened.count == 4 && reopened.bytes == disk.bytes)
        unlink(directory.file(live))
    }
}
