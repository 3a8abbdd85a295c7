extension ONNXGraphReader {
    /// An `AttributeProto`: name (1), type (20), f (2), i (3), s (4), t (5),
    /// floats (7) and ints (8); a subgraph (6, 11) is skipped and noted.
    mutating func readAttribute(end: Int64) throws(ModelFileError) -> ONNXAttribute {
        var attribute = ONNXAttribute()
        while cursor.offset < end {
            let at = cursor.offset
            let key = try cursor.readKey()
            switch key.field {
            case 1: attribute.name = try string(key, at: at, end: end, what: "attribute name")
            case 20: attribute.type = UInt64(bitPattern: try int64(key, at: at, what: "attribute type"))
            case 2:
                try expect(key, .fixed32, at: at, "attribute f")
                attribute.float = Double(Float(bitPattern: try cursor.readUInt32()))
            case 3: attribute.int = try int64(key, at: at, what: "attribute i")
            case 4:
                try expect(key, .lengthDelimited, at: at, "attribute s")
                let length = try cursor.readLength(end: end, what: "attribute s")
                if length <= ONNXAttribute.maximumStringLength {
                    let bytes = try cursor.readBytes(UInt64(length), limit: ONNXAttribute.maximumStringLength, what: "attribute s")
                    attribute.string = String(decoding: bytes, as: UTF8.self)
                } else {
                    attribute.isTruncated = true
                    try cursor.skip(UInt64(length), what: "attribute s")
                }
            case 5:
                let tensorEnd = try messageEnd(key, at: at, end: end, what: "attribute t")
                attribute.tensor = try readTensor(end: tensorEnd).constant(cursor: cursor, at: at)
            case 6, 11:
                attribute.holdsGraph = true
                try cursor.skipValue(key, end: end)
            case 7:
                // Float lists (scales, value_floats) are short; past 64 values the attribute is marked, not kept.
                var floats: [Double] = []
                var count = 0
                try readFloats(key, at: at, end: end, into: &floats, seen: &count, what: "attribute floats")
                if count > floats.count || attribute.floats.count + floats.count > ONNXConstant.maximumValues {
                    attribute.isTruncated = true
                } else {
                    attribute.floats += floats
                }
            case 8:
                var overflow = false
                try readVarints(key, at: at, end: end, limit: ONNXAttribute.maximumListLength, into: &attribute.ints,
                                overflow: &overflow, what: "attribute ints")
                if overflow { attribute.isTruncated = true }
            default:
                try cursor.skipValue(key, end: end)
            }
        }
        try finish(end, "attribute")
        return attribute
    }
}
