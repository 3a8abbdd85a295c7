extension GGUFReader {
    static func readMetadata(count: UInt64, cursor: inout FileCursor) throws(ModelFileError) -> [(key: String, value: GGUFValue)] {
        var metadata: [(key: String, value: GGUFValue)] = []
        var keys: Set<String> = []
        for _ in 0..<count {
            let at = cursor.offset
            let key = try readString(cursor: &cursor, limit: maximumNameLength, what: "metadata key")
            guard keys.insert(key).inserted else {
                throw cursor.error(.duplicate, at: at, key: key, "metadata key appears twice")
            }
            let type = try readType(cursor: &cursor, key: key)
            metadata.append((key, try readValue(type, cursor: &cursor, key: key, depth: 0)))
        }
        return metadata
    }

    private static func readType(cursor: inout FileCursor, key: String) throws(ModelFileError) -> GGUFValueType {
        let number = try cursor.readUInt32()
        guard let type = GGUFValueType(rawValue: number) else {
            throw cursor.error(.unknownType, at: cursor.offset - 4, key: key, "unknown metadata value type \(number)")
        }
        return type
    }

    /// A string: `u64` length and UTF-8 bytes; the length is checked before anything is read.
    static func readString(cursor: inout FileCursor, limit: Int, what: String) throws(ModelFileError) -> String {
        let at = cursor.offset
        let length = try cursor.readUInt64()
        return String(decoding: try cursor.readBytes(length, limit: limit, what: what, lengthAt: at), as: UTF8.self)
    }

    private static func readValue(_ type: GGUFValueType, cursor: inout FileCursor, key: String, depth: Int,
                                  keep: Bool = true) throws(ModelFileError) -> GGUFValue {
        switch type {
        case .uint8, .uint16, .uint32, .uint64:
            return .unsigned(try cursor.readLittleEndian(width: type.fixedSize!))
        case .int8, .int16, .int32, .int64:
            let width = type.fixedSize!
            let raw = try cursor.readLittleEndian(width: width)
            let shift = UInt64(64 - 8 * width)
            return .signed(Int64(bitPattern: raw << shift) >> Int64(shift))
        case .float32:
            return .float(Double(Float(bitPattern: try cursor.readUInt32())))
        case .float64:
            return .float(Double(bitPattern: try cursor.readUInt64()))
        case .bool:
            let at = cursor.offset
            let byte = try cursor.readUInt8()
            guard byte <= 1 else { throw cursor.error(.badField, at: at, key: key, "boolean is \(byte), not 0 or 1") }
            return .bool(byte == 1)
        case .string:
            let at = cursor.offset
            let length = try cursor.readUInt64()
            guard keep, length <= keptStringLength else {
                try cursor.skip(length, what: "string", lengthAt: at)
                return .string("")
            }
            return .string(String(decoding: try cursor.readBytes(length, limit: Int(keptStringLength), what: "string", lengthAt: at), as: UTF8.self))
        case .array:
            return try readArray(cursor: &cursor, key: key, depth: depth, keep: keep)
        }
    }

    private static func readArray(cursor: inout FileCursor, key: String, depth: Int, keep: Bool) throws(ModelFileError) -> GGUFValue {
        let at = cursor.offset
        guard depth < maximumArrayDepth else {
            throw cursor.error(.badField, at: at, key: key, "arrays nested more than \(maximumArrayDepth) deep")
        }
        let elementType = try readType(cursor: &cursor, key: key)
        let count = try cursor.readUInt64()
        guard count <= UInt64(cursor.remaining) / elementType.minimumSize else {
            throw cursor.error(.lengthPastEnd, at: at, key: key,
                               "array of \(count) elements cannot fit in the \(cursor.remaining) bytes left")
        }
        let kept = keep && count <= keptArrayLength
        if !kept, let size = elementType.fixedSize {
            try cursor.skip(count * UInt64(size), what: "array")
            return .array(elementType: elementType.rawValue, count: count, elements: nil)
        }
        var elements: [GGUFValue] = []
        for _ in 0..<count {
            let value = try readValue(elementType, cursor: &cursor, key: key, depth: depth + 1, keep: kept)
            if kept { elements.append(value) }
        }
        return .array(elementType: elementType.rawValue, count: count, elements: kept ? elements : nil)
    }
}
