#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rebuilding the shared state from the directory itself, for when the ledger
/// cannot be trusted (first open, a holder killed mid-change, damage), and
/// rewriting the journal when it has grown long. Both run under the lock.
extension DiskDirectory {
    /// Whether `name` is an entry file's: 64 hex digits and the suffix.
    func isEntryName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return name.hasSuffix(suffix) && bytes.count == DiskJournal.nameLength + suffix.utf8.count
            && bytes.prefix(DiskJournal.nameLength).allSatisfy(DiskJournal.isHexDigit)
    }

    /// Lists the directory: the entries oldest first, removing temporary files
    /// whose writer is dead (or that are old); nil if it cannot be read.
    func scan() -> [DiskFiles.Listed]? {
        guard let files = try? DiskFiles.list(path) else { return nil }
        let now = DiskFiles.nanoseconds(DiskFiles.now())
        var entries: [DiskFiles.Listed] = []
        for file in files {
            if isEntryName(file.name) {
                entries.append(file)
            } else if DiskTemporaryName.isTemporary(file.name),
                      DiskTemporaryName.isAbandoned(file.name, modified: file.modified, now: now) {
                DiskFiles.remove(path + "/" + file.name)
            }
        }
        return entries.sorted { ($0.modified, $0.name) < ($1.modified, $1.name) }
    }

    /// Replaces the index with the directory's entries (oldest first) and rewrites the journal from it.
    mutating func rebuild(from scanned: [DiskFiles.Listed]? = nil) {
        markChanging()
        guard let entries = scanned ?? scan() else {
            journalFailed = true
            return
        }
        index.removeAll()
        for entry in entries { index.insert(entry.name, size: entry.size, stamp: entry.modified) }
        rewriteJournal()
    }

    /// Scans the directory (cleaning dead writers' files) and rebuilds the
    /// index if the entries there disagree with it. Used when a tier is opened.
    mutating func verify() {
        guard let entries = scan() else { return }
        let agrees = entries.count == index.count && entries.allSatisfy { index.size(of: $0.name) == $0.size }
        if !agrees { rebuild(from: entries) }
    }

    /// Writes a fresh journal, one record per indexed entry, oldest first, under
    /// a new generation; other processes see the generation change and replay it whole.
    mutating func rewriteJournal() {
        markChanging()
        let temporary = path + "/" + DiskTemporaryName.make(for: DiskJournal.fileName)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(index.count * DiskJournal.recordSize)
        for entry in index.entriesColdestFirst() {
            bytes += DiskJournal.record(.added(name: entry.name, size: entry.size, stamp: entry.stamp))
        }
        let written = bytes.withUnsafeBytes { DiskFiles.writeNew(temporary, parts: [$0], modified: DiskFiles.now()) }
        guard written, rename(temporary, journalPath) == 0 else {
            DiskFiles.remove(temporary)
            journalFailed = true
            return
        }
        let fd = open(journalPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            journalFailed = true
            return
        }
        _ = close(journalFD)
        journalFD = fd
        var generation = ledger.generation
        while generation == ledger.generation || generation == 0 { generation = UInt64.random(in: 1...UInt64.max) }
        ledger.generation = generation
        ledger.journalLength = bytes.count
        journalFailed = false
    }
}
