/// The shared history of a disk-tier directory (`.hrc-journal`): fixed 88-byte
/// records appended while the lock is held, so each process brings its own LRU
/// index up to date by reading only the records added since it last looked.
///
///     0  UInt8                      1 added (or replaced), 2 removed
///     1  7 bytes                    zero
///     8  UInt64 little endian       file size
///    16  Int64 little endian        modification time, nanoseconds
///    24  64 bytes                   the entry's name without ".hrc" (lowercase hex)
///
/// Only the first `journalLength` bytes (from the ledger) count. When the
/// journal grows well past the entries it describes, the lock holder rewrites it
/// as one record per entry, oldest first, under a new generation.
enum DiskJournal {
    static let fileName = ".hrc-journal"
    static let recordSize = 88
    static let nameLength = 64

    enum Change: Equatable {
        case added(name: String, size: Int, stamp: Int64)
        case removed(name: String)
    }

    static func record(_ change: Change) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 24)
        let name: String
        switch change {
        case let .added(added, size, stamp):
            out[0] = 1
            name = added
            out.withUnsafeMutableBytes {
                $0.storeBytes(of: UInt64(size).littleEndian, toByteOffset: 8, as: UInt64.self)
                $0.storeBytes(of: stamp.littleEndian, toByteOffset: 16, as: Int64.self)
            }
        case let .removed(removed):
            out[0] = 2
            name = removed
        }
        out.append(contentsOf: name.utf8.prefix(nameLength))
        return out
    }

    /// The changes in whole records, or nil if any record is malformed.
    static func changes(in bytes: [UInt8], suffix: String) -> [Change]? {
        guard bytes.count % recordSize == 0 else { return nil }
        var changes: [Change] = []
        changes.reserveCapacity(bytes.count / recordSize)
        for start in stride(from: 0, to: bytes.count, by: recordSize) {
            let record = bytes[start..<(start + recordSize)]
            let nameBytes = record.dropFirst(24)
            guard nameBytes.allSatisfy(isHexDigit) else { return nil }
            let name = String(decoding: nameBytes, as: UTF8.self) + suffix
            let (size, stamp) = bytes.withUnsafeBytes {
                ($0.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self).littleEndian,
                 $0.loadUnaligned(fromByteOffset: start + 16, as: Int64.self).littleEndian)
            }
            switch bytes[start] {
            case 1 where size <= UInt64(Int.max): changes.append(.added(name: name, size: Int(size), stamp: stamp))
            case 2: changes.append(.removed(name: name))
            default: return nil
            }
        }
        return changes
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }
}
