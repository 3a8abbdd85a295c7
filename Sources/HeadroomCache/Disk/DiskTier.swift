import Crypto
import HeadroomCore
import Synchronization

/// A directory of cache entries bounded by bytes: the tier below a
/// ``MemoryCache``. Entries are written atomically (temporary file, then
/// rename), read back memory-mapped, and checked against a SHA-256 checksum, so
/// a corrupt or truncated file is a miss and is removed. An in-memory LRU index
/// makes eviction O(1); it is rebuilt from the directory when the tier is
/// opened, so entries survive a restart.
public final class DiskTier: Sendable {
    /// The directory holding the entries.
    public let directory: String
    /// The most bytes the files may take.
    public let capacity: ByteCount
    let index: Mutex<DiskIndex>
    let counters = Mutex(DiskTierStatistics())

    /// Opens (creating if needed) a disk tier in `directory` and indexes the
    /// entries already there, oldest first; leftover temporary files are removed,
    /// and the oldest entries if the directory is over `capacity`.
    /// - Throws: ``DiskTierError`` if the directory cannot be created or read.
    public init(directory: String, capacity: ByteCount) throws {
        self.directory = directory
        self.capacity = capacity
        try DiskFiles.makeDirectory(directory)
        var index = DiskIndex()
        let files = try DiskFiles.list(directory).sorted { $0.modified < $1.modified }
        for file in files {
            if file.name.hasSuffix(Self.suffix), file.name.utf8.count == 64 + Self.suffix.utf8.count {
                index.insert(file.name, size: file.size)
            } else if file.name.contains(".tmp-") {
                DiskFiles.remove(directory + "/" + file.name)
            }
        }
        self.index = Mutex(index)
        evict(sparing: nil)
    }

    static let suffix = ".hrc"

    /// The file name for a key: the hex SHA-256 of its bytes.
    static func fileName(for key: [UInt8]) -> String {
        var hasher = SHA256()
        key.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return ContentKey.hexString(Array(hasher.finalize())) + suffix
    }

    /// Stores bytes under a key, replacing any entry, then evicts the least
    /// recently used files until the tier fits. An entry larger than the whole tier is not written.
    /// - Returns: Whether the entry was written.
    @discardableResult
    public func write(key: [UInt8], bytes payload: UnsafeRawBufferPointer) -> Bool {
        let size = DiskEntryFormat.headerSize + key.count + payload.count
        guard size <= capacity.bytes else {
            counters.withLock { $0.rejected += 1 }
            return false
        }
        let name = Self.fileName(for: key)
        let header = DiskEntryFormat.header(key: key, payload: payload)
        let written = header.withUnsafeBytes { head in
            key.withUnsafeBytes { keyBytes in
                DiskFiles.writeAtomically(directory + "/" + name, parts: [head, keyBytes, payload])
            }
        }
        guard written else {
            counters.withLock { $0.failedWrites += 1 }
            return false
        }
        index.withLock { $0.insert(name, size: size) }
        counters.withLock { $0.writes += 1 }
        evict(sparing: name)
        return true
    }

    /// Calls `body` with the stored bytes for a key (memory-mapped; valid only
    /// during the call) and returns its result, or nil on a miss. A file that
    /// fails its checks is removed and reported as a miss.
    public func read<R>(key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        let name = Self.fileName(for: key)
        guard index.withLock({ $0.touch(name) }) else {
            counters.withLock { $0.misses += 1 }
            return nil
        }
        let path = directory + "/" + name
        var valid = false
        let result: R?? = try DiskFiles.withMappedFile(path) { file -> Result<R, any Error>? in
            guard let payload = DiskEntryFormat.payload(in: file, key: key) else { return nil }
            valid = true
            return Result { try body(payload) }
        }.map { try $0?.get() }
        guard valid, let value = result ?? nil else {
            discard(name, corrupt: true)
            counters.withLock { $0.misses += 1 }
            return nil
        }
        counters.withLock { $0.hits += 1 }
        return value
    }

    /// Removes the entry for a key, if any.
    public func remove(key: [UInt8]) {
        discard(Self.fileName(for: key), corrupt: false)
    }

    /// Removes every entry.
    public func removeAll() {
        let names = index.withLock { index -> [String] in
            var names: [String] = []
            while let name = index.coldest(sparing: nil) {
                index.remove(name)
                names.append(name)
            }
            return names
        }
        for name in names { DiskFiles.remove(directory + "/" + name) }
    }

    /// The bytes the entries' files take.
    public var bytes: ByteCount { ByteCount(Int64(index.withLock { $0.bytes })) }
    /// The entries stored.
    public var count: Int { index.withLock { $0.count } }
    /// Reads, writes, evictions and corrupt files found so far.
    public var statistics: DiskTierStatistics { counters.withLock { $0 } }

    func discard(_ name: String, corrupt: Bool) {
        let removed = index.withLock { $0.remove(name) } != nil
        if removed || corrupt { DiskFiles.remove(directory + "/" + name) }
        if corrupt { counters.withLock { $0.corrupt += 1 } }
    }

    func evict(sparing spared: String?) {
        let victims = index.withLock { index -> [String] in
            var victims: [String] = []
            while index.bytes > capacity.bytes, let victim = index.coldest(sparing: spared) {
                index.remove(victim)
                victims.append(victim)
            }
            return victims
        }
        for victim in victims { DiskFiles.remove(directory + "/" + victim) }
        if !victims.isEmpty { counters.withLock { $0.evictions += victims.count } }
    }
}
