// Protocol Buffers wire format, read by hand: swift-protobuf decodes whole
// messages into memory (an ONNX model's raw_data with them), and the planner
// needs a reader that walks fields in place and skips a 2 GB bytes field by
// its length without reading it.

/// A protobuf field key: the field number and how its value is encoded.
struct ProtobufKey {
    enum WireType: UInt64 { case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5 }
    var field: UInt64
    var wireType: WireType
}

extension FileCursor {
    /// A base-128 varint of at most 10 bytes.
    mutating func readVarint() throws(ModelFileError) -> UInt64 {
        let at = offset
        var value: UInt64 = 0
        for index in 0..<10 {
            let byte = try readUInt8()
            if index == 9, byte > 1 { break }
            value |= UInt64(byte & 0x7f) << (7 * UInt64(index))
            if byte & 0x80 == 0 { return value }
        }
        throw error(.badField, at: at, "varint longer than 10 bytes or past 64 bits")
    }

    /// The next field's key, refusing group wire types and field number 0.
    mutating func readKey() throws(ModelFileError) -> ProtobufKey {
        let at = offset
        let tag = try readVarint()
        guard let wireType = ProtobufKey.WireType(rawValue: tag & 7), tag >> 3 != 0 else {
            throw error(.badField, at: at, "invalid protobuf field key \(tag) (wire type \(tag & 7))")
        }
        return ProtobufKey(field: tag >> 3, wireType: wireType)
    }

    /// The length of a length-delimited field, checked against the end of its enclosing message.
    mutating func readLength(end: Int64, what: String) throws(ModelFileError) -> Int64 {
        let at = offset
        let length = try readVarint()
        guard offset <= end else {
            throw error(.lengthPastEnd, at: at, "\(what) field key runs past the end of its message")
        }
        guard length <= UInt64(end - offset) else {
            throw error(.lengthPastEnd, at: at, "\(what) length \(length) runs past the end of its message (\(end - offset) bytes left)")
        }
        return Int64(length)
    }

    /// Moves past a field's value without reading it.
    mutating func skipValue(_ key: ProtobufKey, end: Int64) throws(ModelFileError) {
        switch key.wireType {
        case .varint: _ = try readVarint()
        case .fixed64: try skip(8, what: "fixed64 field")
        case .fixed32: try skip(4, what: "fixed32 field")
        case .lengthDelimited: try skip(UInt64(try readLength(end: end, what: "field \(key.field)")), what: "field")
        }
        guard offset <= end else { throw error(.lengthPastEnd, "field \(key.field) runs past the end of its message") }
    }

    /// A length-delimited UTF-8 string of at most `limit` bytes.
    mutating func readProtobufString(end: Int64, limit: Int, what: String) throws(ModelFileError) -> String {
        let length = try readLength(end: end, what: what)
        return String(decoding: try readBytes(UInt64(length), limit: limit, what: what), as: UTF8.self)
    }
}
