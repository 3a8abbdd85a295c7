import Crypto
import HeadroomCore
import Synchronization

/// A directory of cache entries bounded by bytes: the tier below a
/// ``MemoryCache``. Entries are written to a temporary file, then renamed into
/// place, read back memory-mapped, and checked against a SHA-256 checksum, so a
/// corrupt or truncated file is a miss and is removed.
///
/// Several processes may open the same directory, each with its own tier (data
/// loader workers, pipeline stages). Publishing and evicting take the
/// directory's lock for a few system calls; a shared ledger and journal keep
/// the byte count and every process's LRU index in step; reads take no lock and
/// refresh an entry's modification time, the recency all processes share. A
/// process killed at any point leaves a directory the next one repairs. See
/// `docs/caching.md`.
public final class DiskTier: Sendable {
    /// The directory holding the entries.
    public let directory: String
    /// The most bytes the files may take.
    public let capacity: ByteCount
    let shared: Mutex<DiskDirectory>
    let counters = Mutex(DiskTierStatistics())

    /// Opens (creating if needed) a disk tier in `directory` and indexes the
    /// entries already there, oldest first; temporary files left by dead writers
    /// are removed, and the oldest entries if the directory is over `capacity`.
    /// - Throws: ``DiskTierError`` if the directory cannot be created or read.
    public init(directory: String, capacity: ByteCount) throws {
        self.directory = directory
        self.capacity = capacity
        try DiskFiles.makeDirectory(directory)
        _ = try DiskFiles.list(directory)
        var shared = try DiskDirectory(path: directory, suffix: Self.suffix)
        let limit = Int(capacity.bytes)
        shared.begin(capacity: limit)
        shared.verify()
        let evicted = shared.evict(sparing: nil, capacity: limit)
        shared.end()
        self.shared = Mutex(shared)
        if evicted > 0 { counters.withLock { $0.evictions += evicted } }
    }

    deinit {
        shared.withLock { $0.closeDescriptors() }
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
        let temporary = DiskTemporaryName.make(for: name)
        let header = DiskEntryFormat.header(key: key, payload: payload)
        let time = DiskFiles.now()
        // The slow part, writing the bytes, happens outside the lock.
        let written = header.withUnsafeBytes { head in
            key.withUnsafeBytes { keyBytes in
                DiskFiles.writeNew(directory + "/" + temporary, parts: [head, keyBytes, payload], modified: time)
            }
        }
        let limit = Int(capacity.bytes)
        let evicted: Int? = written ? shared.withLock { shared in
            shared.begin(capacity: limit)
            defer { shared.end() }
            guard shared.publish(temporary, as: name, size: size, stamp: DiskFiles.nanoseconds(time)) else { return nil }
            return shared.evict(sparing: name, capacity: limit)
        } : nil
        guard let evicted else {
            counters.withLock { $0.failedWrites += 1 }
            return false
        }
        counters.withLock {
            $0.writes += 1
            $0.evictions += evicted
        }
        return true
    }

    /// Calls `body` with the stored bytes for a key (memory-mapped; valid only
    /// during the call) and returns its result, or nil on a miss. A file that
    /// fails its checks is removed and reported as a miss.
    public func read<R>(key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        let name = Self.fileName(for: key)
        let found = DiskFiles.withMappedFile(directory + "/" + name) { file, fd, identity -> DiskRead<R> in
            guard let payload = DiskEntryFormat.payload(in: file, key: key) else { return .corrupt(identity) }
            let time = DiskFiles.now()
            DiskFiles.setModified(fd, time)
            return .valid(Result { try body(payload) }, stamp: DiskFiles.nanoseconds(time))
        }
        switch found {
        case nil:
            counters.withLock { $0.misses += 1 }
            return nil
        case let .corrupt(identity):
            discard(name, ifStill: identity)
            counters.withLock {
                $0.misses += 1
                $0.corrupt += 1
            }
            return nil
        case let .valid(result, stamp):
            shared.withLock { _ = $0.index.touch(name, stamp: stamp) }
            counters.withLock { $0.hits += 1 }
            // The error, if any, is the one `body` threw.
            return try Optional(result).map { try $0.get() }
        }
    }

    /// Removes the entry for a key, if any.
    public func remove(key: [UInt8]) {
        discard(Self.fileName(for: key), ifStill: nil)
    }

    /// Removes every entry.
    public func removeAll() {
        let limit = Int(capacity.bytes)
        shared.withLock { shared in
            shared.begin(capacity: limit)
            defer { shared.end() }
            for entry in shared.index.entriesColdestFirst() { DiskFiles.remove(directory + "/" + entry.name) }
            shared.markChanging()
            shared.index.removeAll()
            shared.rewriteJournal()
        }
    }

    /// The bytes the entries' files take, as all processes sharing the directory left them.
    public var bytes: ByteCount { ByteCount(Int64(current { $0.bytes })) }
    /// The entries stored, as all processes sharing the directory left them.
    public var count: Int { current { $0.count } }
    /// This tier's reads, writes, evictions and corrupt files found so far.
    public var statistics: DiskTierStatistics { counters.withLock { $0 } }

    func current(_ read: (DiskIndex) -> Int) -> Int {
        let limit = Int(capacity.bytes)
        return shared.withLock { shared in
            shared.begin(capacity: limit)
            defer { shared.end() }
            return read(shared.index)
        }
    }

    func discard(_ name: String, ifStill identity: DiskFiles.Identity?) {
        let limit = Int(capacity.bytes)
        shared.withLock { shared in
            shared.begin(capacity: limit)
            defer { shared.end() }
            shared.remove(name, ifStill: identity)
        }
    }
}

/// What a read found in an entry's file.
enum DiskRead<R> {
    case corrupt(DiskFiles.Identity)
    case valid(Result<R, any Error>, stamp: Int64)
}
