import HeadroomCore
import Testing
@testable import HeadroomCache

@Suite("Disk tier")
struct DiskTierTests {
    func payload(_ seed: UInt8, count: Int = 1000) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: Int(seed) &* 31 &+ $0) }
    }

    func read(_ disk: DiskTier, _ key: String) -> [UInt8]? {
        disk.read(key: Array(key.utf8)) { Array($0) }
    }

    func write(_ disk: DiskTier, _ key: String, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { disk.write(key: Array(key.utf8), bytes: $0) }
    }

    @Test("entries survive a restart")
    func restart() throws {
        let directory = TemporaryDirectory()
        do {
            let disk = try DiskTier(directory: directory.path, capacity: .mebibytes(1))
            #expect(write(disk, "a", payload(1)))
            #expect(write(disk, "b", payload(2)))
            #expect(read(disk, "a") == payload(1))
        }
        let reopened = try DiskTier(directory: directory.path, capacity: .mebibytes(1))
        #expect(reopened.count == 2)
        #expect(read(reopened, "a") == payload(1))
        #expect(read(reopened, "b") == payload(2))
        #expect(read(reopened, "c") == nil)
        #expect(directory.files.allSatisfy { !$0.contains(".tmp-") })
    }

    @Test("a flipped byte or a truncated file is a miss, and the file is removed")
    func corruption() throws {
        let directory = TemporaryDirectory()
        let disk = try DiskTier(directory: directory.path, capacity: .mebibytes(1))
        #expect(write(disk, "flip", payload(3)))
        #expect(write(disk, "cut", payload(4)))
        #expect(write(disk, "header", payload(5)))
        flipByte(in: directory.file(DiskTier.fileName(for: Array("flip".utf8))), at: 600)
        truncateFile(directory.file(DiskTier.fileName(for: Array("cut".utf8))), to: 700)
        truncateFile(directory.file(DiskTier.fileName(for: Array("header".utf8))), to: 10)
        #expect(read(disk, "flip") == nil)
        #expect(read(disk, "cut") == nil)
        #expect(read(disk, "header") == nil)
        #expect(disk.statistics.corrupt == 3)
        #expect(directory.files.isEmpty)
        #expect(disk.count == 0 && disk.bytes == .zero)
    }

    @Test("a corrupt file found after a restart is a miss too")
    func corruptionAfterRestart() throws {
        let directory = TemporaryDirectory()
        do {
            let disk = try DiskTier(directory: directory.path, capacity: .mebibytes(1))
            #expect(write(disk, "x", payload(6)))
        }
        flipByte(in: directory.file(DiskTier.fileName(for: Array("x".utf8))), at: 20)
        let reopened = try DiskTier(directory: directory.path, capacity: .mebibytes(1))
        #expect(read(reopened, "x") == nil)
        #expect(directory.files.isEmpty)
    }

    @Test("the byte budget holds: the least recently used files go first")
    func fullBudget() throws {
        let directory = TemporaryDirectory()
        let disk = try DiskTier(directory: directory.path, capacity: .kibibytes(5))
        for i in 0..<4 { #expect(write(disk, "k\(i)", payload(UInt8(i)))) }
        _ = read(disk, "k0")
        for i in 4..<7 { #expect(write(disk, "k\(i)", payload(UInt8(i)))) }
        #expect(disk.bytes.bytes <= 5 * 1024)
        #expect(directory.files.count == disk.count)
        #expect(read(disk, "k0") == payload(0))
        #expect(read(disk, "k1") == nil)
        #expect(read(disk, "k6") == payload(6))
        #expect(disk.statistics.evictions > 0)
        #expect(!write(disk, "huge", payload(9, count: 6000)))
        let reopened = try DiskTier(directory: directory.path, capacity: .kibibytes(2))
        #expect(reopened.bytes.bytes <= 2 * 1024)
        #expect(directory.files.count == reopened.count)
    }

    @Test("a memory cache spills evictions to disk and reads them back")
    func spillAndPromote() throws {
        let directory = TemporaryDirectory()
        let disk = try DiskTier(directory: directory.path, capacity: .mebibytes(1))
        let cache = MemoryCache<String, [Float]>(capacity: .kibibytes(4), disk: disk, policy: .lru, shards: 1)
        for i in 0..<10 { cache.insert([Float](repeating: Float(i), count: 256), forKey: "f\(i)") }
        #expect(cache.bytes.bytes <= 4096)
        #expect(!cache.contains("f0"))
        #expect(disk.count >= 6)
        #expect(cache.value(forKey: "f0") == [Float](repeating: 0, count: 256))
        #expect(cache.statistics.lifetime.diskHits == 1)
        cache.removeValue(forKey: "f1")
        #expect(cache.value(forKey: "f1") == nil)
        cache.removeAll()
        #expect(disk.count == 0 && cache.count == 0)
    }

    @Test("entries above the threshold go straight to disk")
    func threshold() throws {
        let directory = TemporaryDirectory()
        let disk = try DiskTier(directory: directory.path, capacity: .mebibytes(1))
        let cache = MemoryCache<ContentKey, [UInt8]>(capacity: .kibibytes(64), disk: disk, spillThreshold: .kibibytes(16))
        let key = ContentKey("big frame")
        #expect(cache.insert(payload(1, count: 20_000), forKey: key) == .inserted)
        #expect(!cache.contains(key))
        #expect(disk.count == 1)
        #expect(cache.value(forKey: key) == payload(1, count: 20_000))
        cache.insert(payload(2, count: 100), forKey: ContentKey("small"))
        #expect(cache.contains(ContentKey("small")))
    }
}
