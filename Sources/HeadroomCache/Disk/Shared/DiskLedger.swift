/// The shared account of a disk-tier directory, one fixed 64-byte file
/// (`.hrc-ledger`) that every process rewrites in place while it holds the lock:
///
///     0  "HRL1"                     magic
///     4  UInt32 little endian       1 while a holder is changing the directory
///     8  UInt64 little endian       journal generation (a new one each time the journal is rewritten)
///    16  UInt64 little endian       journal length in bytes
///    24  UInt64 little endian       bytes of the entry files
///    32  UInt64 little endian       entry files
///    40  8 bytes                    zero
///    48  UInt64 little endian       FNV-1a of bytes 0..<48
///    56  8 bytes                    zero
///
/// A ledger that is missing, short, fails its checksum, or is still marked busy
/// (its holder died in the middle) is not trusted: the directory is scanned again.
struct DiskLedger: Equatable {
    static let size = 64
    static let magic: [UInt8] = Array("HRL1".utf8)
    static let fileName = ".hrc-ledger"

    var busy = false
    var generation: UInt64 = 0
    var journalLength = 0
    var bytes = 0
    var count = 0

    func encoded() -> [UInt8] {
        var out = Self.magic
        out.reserveCapacity(Self.size)
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        put(UInt32(busy ? 1 : 0))
        put(generation)
        put(UInt64(journalLength))
        put(UInt64(bytes))
        put(UInt64(count))
        put(UInt64(0))
        put(Self.checksum(out))
        put(UInt64(0))
        return out
    }

    /// The ledger in `bytes`, or nil if they are not a whole, intact one.
    init?(decoding bytes: [UInt8]) {
        guard bytes.count == Self.size, Array(bytes[0..<4]) == Self.magic else { return nil }
        func get(_ offset: Int) -> UInt64 {
            bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian }
        }
        guard get(48) == Self.checksum(Array(bytes[0..<48])) else { return nil }
        let flag = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian }
        let limit = UInt64(Int.max)
        guard flag <= 1, get(16) <= limit, get(24) <= limit, get(32) <= limit else { return nil }
        busy = flag == 1
        generation = get(8)
        journalLength = Int(get(16))
        self.bytes = Int(get(24))
        count = Int(get(32))
    }

    init() {}

    static func checksum(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
