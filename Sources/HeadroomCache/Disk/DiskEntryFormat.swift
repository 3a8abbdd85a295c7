import Crypto

/// The layout of one disk-tier file: a 48-byte header, the key's bytes, the payload.
///
///     0  "HRC1"                      magic
///     4  UInt32 little endian        key length
///     8  UInt64 little endian        payload length
///    16  32 bytes                    SHA-256 of key bytes then payload
///    48  key bytes, then payload
///
/// A file whose size, magic, key or checksum disagrees is corrupt: a miss, and removed.
enum DiskEntryFormat {
    static let magic: [UInt8] = Array("HRC1".utf8)
    static let headerSize = 48

    /// The header for this key and payload.
    static func header(key: [UInt8], payload: UnsafeRawBufferPointer) -> [UInt8] {
        var header = magic
        withUnsafeBytes(of: UInt32(key.count).littleEndian) { header.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { header.append(contentsOf: $0) }
        header.append(contentsOf: checksum(key: key, payload: payload))
        return header
    }

    static func checksum(key: [UInt8], payload: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        key.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: payload)
        return Array(hasher.finalize())
    }

    /// The payload inside a whole file's bytes, or nil if the file is not a valid entry for `key`.
    static func payload(in file: UnsafeRawBufferPointer, key: [UInt8]) -> UnsafeRawBufferPointer? {
        guard file.count >= headerSize, Array(file[0..<4]) == magic else { return nil }
        let keyLength = Int(file.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian)
        let payloadLength = file.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
        guard keyLength == key.count, payloadLength <= UInt64(Int.max),
              headerSize + keyLength + Int(payloadLength) == file.count else { return nil }
        let keyBytes = UnsafeRawBufferPointer(rebasing: file[headerSize..<(headerSize + keyLength)])
        guard keyBytes.elementsEqual(key) else { return nil }
        let payload = UnsafeRawBufferPointer(rebasing: file[(headerSize + keyLength)...])
        guard checksum(key: key, payload: payload).elementsEqual(file[16..<48]) else { return nil }
        return payload
    }
}
