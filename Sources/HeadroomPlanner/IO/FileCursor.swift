/// Reads a ``ModelFile`` front to back through a small buffer.
///
/// Fields are read in bounded chunks (64 KiB), so walking a header of any size
/// costs a fixed amount of memory; ``skip(_:)`` moves past data without reading it.
/// Every length is checked against the bytes left in the file before use.
struct FileCursor {
    static let chunkSize = 64 * 1024

    let file: ModelFile
    /// The offset of the next byte to read.
    private(set) var offset: Int64
    private var buffer: [UInt8] = []
    private var bufferStart: Int64 = 0

    init(file: ModelFile, offset: Int64 = 0) {
        self.file = file
        self.offset = offset
    }

    /// Bytes from ``offset`` to the end of the file.
    var remaining: Int64 { file.size - offset }

    func error(_ rule: ModelFileError.Rule, at offset: Int64? = nil, tensor: String? = nil, key: String? = nil,
               _ message: String) -> ModelFileError {
        ModelFileError(rule, path: file.path, offset: offset ?? self.offset, tensor: tensor, key: key, message)
    }

    /// Makes `count` bytes (at most one chunk) at ``offset`` available in the buffer.
    private mutating func fill(_ count: Int) throws(ModelFileError) -> Int {
        guard Int64(count) <= remaining else {
            throw error(.truncated, "needs \(count) more bytes but the file ends after \(remaining)")
        }
        let start = Int(offset - bufferStart)
        if offset >= bufferStart, start + count <= buffer.count { return start }
        let length = Int(min(Int64(max(count, FileCursor.chunkSize)), remaining))
        buffer = try file.read(at: offset, count: length)
        bufferStart = offset
        return 0
    }

    mutating func readUInt8() throws(ModelFileError) -> UInt8 {
        let start = try fill(1)
        offset += 1
        return buffer[start]
    }

    /// A little-endian unsigned integer of `width` bytes (1 to 8).
    mutating func readLittleEndian(width: Int) throws(ModelFileError) -> UInt64 {
        let start = try fill(width)
        var value: UInt64 = 0
        for index in 0..<width { value |= UInt64(buffer[start + index]) << (8 * UInt64(index)) }
        offset += Int64(width)
        return value
    }

    mutating func readUInt32() throws(ModelFileError) -> UInt32 { UInt32(try readLittleEndian(width: 4)) }
    mutating func readUInt64() throws(ModelFileError) -> UInt64 { try readLittleEndian(width: 8) }

    /// `count` bytes, refused before any allocation when they run past the end or exceed `limit`.
    /// `lengthAt` is the offset of the length field, for the error.
    mutating func readBytes(_ count: UInt64, limit: Int, what: String, lengthAt: Int64? = nil) throws(ModelFileError) -> [UInt8] {
        guard count <= UInt64(remaining) else {
            throw error(.lengthPastEnd, at: lengthAt, "\(what) length \(count) runs past the end of the file (\(remaining) bytes left)")
        }
        guard count <= UInt64(limit) else {
            throw error(.lengthTooLarge, at: lengthAt, "\(what) length \(count) is more than the \(limit) bytes allowed")
        }
        let n = Int(count)
        if n <= FileCursor.chunkSize {
            let start = try fill(n)
            offset += Int64(n)
            return Array(buffer[start..<start + n])
        }
        let bytes = try file.read(at: offset, count: n)
        offset += Int64(n)
        return bytes
    }

    /// Moves past `count` bytes without reading them.
    mutating func skip(_ count: UInt64, what: String, lengthAt: Int64? = nil) throws(ModelFileError) {
        guard count <= UInt64(remaining) else {
            throw error(.lengthPastEnd, at: lengthAt, "\(what) length \(count) runs past the end of the file (\(remaining) bytes left)")
        }
        offset += Int64(count)
    }

    /// Moves to an absolute offset within the file.
    mutating func seek(to target: Int64) throws(ModelFileError) {
        guard target >= 0, target <= file.size else {
            throw error(.lengthPastEnd, "offset \(target) is past the end of the file (\(file.size) bytes)")
        }
        offset = target
    }
}
