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

    /// The entry files and their total size, listed while holding the
    /// directory's lock shared, so that no holder changes the set mid-listing.
    static func entryBytes(_ path: String) -> (count: Int, bytes: Int) {
        let fd = open(path + "/" + DiskLedger.fileName, O_RDONLY | O_CLOEXEC)
        defer { if fd >= 0 { close(fd) } }
        if fd >= 0 { flock(fd, LOCK_SH) }
        defer { if fd >= 0 { flock(fd, LOCK_UN) } }
        let entries = ((try? DiskFiles.list(path)) ?? []).filter { $0.name.hasSuffix(".hrc") && $0.name.utf8.count == 68 }
        return (entries.count, entries.reduce(0) { $0 + $1.size })
    }

    @Test("four processes write, read, evict and die: the bound holds, no read is torn, the directory reopens")
    func fourProcesses() throws {
        let directory = TemporaryDirectory()
        let capacity = 40 * 1024
        // The header, the longest key ("key-39") and the longest payload the hammer writes.
        let largest = DiskEntryFormat.headerSize + 6 + 16 + 2999
        _ = try DiskTier(directory: directory.path, capacity: ByteCount(Int64(capacity)))

        let outputs = (0..<3).map { _ in Pipe() }
        let steady = try [("mixed", 1), ("mixed", 2), ("reader", 3)].enumerated().map { i, role in
            try Self.start(directory.path, capacity: capacity, milliseconds: 1500, seed: role.1, mode: role.0,
                           output: outputs[i])
        }
        // The fourth process only writes, and is killed with SIGKILL at a random moment, then started again.
        var random = SystemRandomNumberGenerator()
        var victim = try Self.start(directory.path, capacity: capacity, milliseconds: 60_000, seed: 4, mode: "writer", output: nil)
        var killAt = Date().addingTimeInterval(Double.random(in: 0.08...0.3, using: &random))
        var kills = 0
        var samples = 0
        var most = 0
        while steady.contains(where: \.isRunning) {
            let sample = Self.entryBytes(directory.path)
            most = max(most, sample.bytes)
            samples += 1
            if Date() >= killAt {
                kill(victim.processIdentifier, SIGKILL)
                victim.waitUntilExit()
                kills += 1
                victim = try Self.start(directory.path, capacity: capacity, milliseconds: 60_000, seed: 4 + kills,
                                        mode: "writer", output: nil)
                killAt = Date().addingTimeInterval(Double.random(in: 0.08...0.3, using: &random))
            }
            usleep(2000)
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        kills += 1

        for (process, output) in zip(steady, outputs) {
            process.waitUntilExit()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(text)")
            #expect(text.contains("ok reads="), "\(text)")
            #expect(!text.contains("violation"), "\(text)")
        }
        #expect(victim.terminationReason == .uncaughtSignal)
        #expect(kills >= 4)
        #expect(samples > 50)
        #expect(most <= capacity + largest, "the entry files took \(most) bytes")

        let reopened = try DiskTier(directory: directory.path, capacity: ByteCount(Int64(capacity)))
        let present = Self.entryBytes(directory.path)
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
