#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One process's view of a disk-tier directory that several processes may
/// share: its LRU index, and the ledger and journal that keep every process's
/// index in step.
///
/// Every change to the set of entry files (publish, evict, remove) happens
/// between ``begin()`` and ``end()``: an exclusive `flock` on the ledger file,
/// taken after the process's own mutex. `begin` reads the ledger and replays
/// the journal records other processes appended since this one last looked;
/// it marks the ledger busy before anything changes, and `end` writes the new
/// totals and clears the mark. A process killed in between leaves the mark
/// set, so the next holder scans the directory instead of trusting the ledger.
/// Reads take no lock: a renamed file is whole, and the entry's own header
/// rejects a foreign or damaged one.
struct DiskDirectory {
    let path: String
    let suffix: String
    var index = DiskIndex()
    /// The ledger as this process last read or wrote it: how far its index has replayed the journal.
    var ledger = DiskLedger()
    var ledgerFD: Int32 = -1
    var journalFD: Int32 = -1
    /// The process that opened the descriptors; a forked child reopens them, so its lock is its own.
    var opener: pid_t = 0
    /// Whether the ledger is marked busy by this holder and must be written at `end`.
    var changing = false
    var journalFailed = false

    init(path: String, suffix: String) throws {
        self.path = path
        self.suffix = suffix
        try reopen()
    }

    var ledgerPath: String { path + "/" + DiskLedger.fileName }
    var journalPath: String { path + "/" + DiskJournal.fileName }

    mutating func reopen() throws {
        closeDescriptors()
        ledgerFD = open(ledgerPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard ledgerFD >= 0 else {
            throw DiskTierError(path: ledgerPath, reason: "cannot open the ledger: \(DiskFiles.errorText())")
        }
        journalFD = open(journalPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard journalFD >= 0 else {
            throw DiskTierError(path: journalPath, reason: "cannot open the journal: \(DiskFiles.errorText())")
        }
        opener = getpid()
    }

    mutating func closeDescriptors() {
        if ledgerFD >= 0 { _ = close(ledgerFD) }
        if journalFD >= 0 { _ = close(journalFD) }
        ledgerFD = -1
        journalFD = -1
    }

    /// Takes the directory's lock and brings the index up to date with the
    /// other processes' changes (or rebuilds it from the directory when the
    /// ledger cannot be trusted, evicting down to `capacity` at once).
    mutating func begin(capacity: Int) {
        if opener != getpid() { try? reopen() }
        DiskFiles.lock(ledgerFD, true)
        if !catchUp() {
            rebuild()
            _ = evict(sparing: nil, capacity: capacity)
        }
    }

    /// Records the totals, clears the busy mark and releases the lock.
    mutating func end() {
        if changing {
            if journalFailed || journalIsLong { rewriteJournal() }
            if !journalFailed {
                ledger.busy = false
                ledger.bytes = index.bytes
                ledger.count = index.count
                writeLedger()
            }
        }
        changing = false
        journalFailed = false
        DiskFiles.lock(ledgerFD, false)
    }

    /// Marks the ledger busy before the first change of this holder.
    mutating func markChanging() {
        guard !changing else { return }
        changing = true
        ledger.busy = true
        writeLedger()
    }

    /// Appends one change to the journal (the index must already reflect it).
    mutating func record(_ change: DiskJournal.Change) {
        markChanging()
        guard !journalFailed else { return }
        let record = DiskJournal.record(change)
        if record.withUnsafeBytes({ DiskFiles.writeAll(journalFD, $0, at: ledger.journalLength) }) {
            ledger.journalLength += record.count
        } else {
            journalFailed = true
        }
    }

    /// Reads the ledger and replays the new journal records; false if either
    /// cannot be trusted (missing, damaged, busy, or disagreeing with the totals).
    mutating func catchUp() -> Bool {
        guard let bytes = DiskFiles.read(ledgerFD, count: DiskLedger.size, at: 0),
              let shared = DiskLedger(decoding: bytes), !shared.busy else { return false }
        if shared.generation != ledger.generation || !DiskFiles.isLinked(journalFD) || shared.journalLength < ledger.journalLength {
            let fd = open(journalPath, O_RDWR | O_CLOEXEC)
            guard fd >= 0 else { return false }
            _ = close(journalFD)
            journalFD = fd
            index.removeAll()
            ledger = DiskLedger()
            ledger.generation = shared.generation
        }
        let unread = shared.journalLength - ledger.journalLength
        if unread > 0 {
            guard let bytes = DiskFiles.read(journalFD, count: unread, at: ledger.journalLength),
                  let changes = DiskJournal.changes(in: bytes, suffix: suffix) else { return false }
            for change in changes {
                switch change {
                case let .added(name, size, stamp): index.insert(name, size: size, stamp: stamp)
                case let .removed(name): index.remove(name)
                }
            }
        }
        ledger = shared
        return index.bytes == shared.bytes && index.count == shared.count
    }

    var journalIsLong: Bool {
        ledger.journalLength > 64 * 1024 && ledger.journalLength > 4 * (index.count + 16) * DiskJournal.recordSize
    }

    mutating func writeLedger() {
        _ = ledger.encoded().withUnsafeBytes { DiskFiles.writeAll(ledgerFD, $0, at: 0) }
    }
}
