extension ONNXGraphReader {
    /// The longest `raw_data` read for its values: 64 elements of 8 bytes.
    static let maximumRawValueBytes = 512

    /// One `TensorProto`'s fields, as read: dims, type, name and the first values.
    struct TensorRecord {
        var name = ""
        var dims: [Int64] = []
        var dataType: UInt64 = 0
        /// `raw_data` when it is short enough to hold the values of a small tensor.
        var raw: [UInt8]?
        var ints: [Int64] = []
        var doubles: [Double] = []
        /// Typed values seen (`float_data`, `int32_data`, …), counted past those kept.
        var typedCount = 0
        var isExternal = false

        /// The tensor as a constant, its values decoded when it is small.
        func constant(cursor: FileCursor, at: Int64) throws(ModelFileError) -> ONNXConstant {
            guard dataType == ONNXDataType.string || ONNXDataType.elementType(dataType) != nil else {
                throw cursor.error(.unknownType, at: at, tensor: name, "unknown ONNX data_type \(dataType)")
            }
            guard let elements = elementCount(dims), elements <= 1 << 62 else {
                throw cursor.error(.badShape, at: at, tensor: name, "dims \(dims) are negative or have more than 2^62 elements")
            }
            var constant = ONNXConstant(dataType: dataType, dims: dims)
            if !isExternal, elements <= Int64(ONNXConstant.maximumValues) {
                constant.values = values(count: Int(elements))
            }
            return constant
        }

        private func values(count: Int) -> ONNXValues? {
            if let raw { return ONNXGraphReader.decode(raw, type: dataType, count: count) }
            guard typedCount == count else { return nil }
            switch dataType {
            case 1, 11: return .floats(doubles)
            case 10: return .floats(ints.map { ONNXGraphReader.half(UInt16(truncatingIfNeeded: $0)) })
            case 16: return .floats(ints.map { Double(Float(bitPattern: UInt32(UInt16(truncatingIfNeeded: $0)) << 16)) })
            case 2, 3, 4, 5, 6, 7, 9, 12, 13: return .ints(ints)
            default: return nil
            }
        }
    }

    /// A `TensorProto`: dims (1), data_type (2), name (8), raw_data (9), the
    /// typed value lists (4, 5, 7, 10, 11), external_data (13) and data_location (14).
    mutating func readTensor(end: Int64) throws(ModelFileError) -> TensorRecord {
        var record = TensorRecord()
        var overflow = false
        while cursor.offset < end {
            let at = cursor.offset
            let key = try cursor.readKey()
            switch key.field {
            case 1:
                try readVarints(key, at: at, end: end, limit: ONNXReader.maximumDimensions + 1, into: &record.dims,
                                overflow: &overflow, what: "dims")
                guard record.dims.count <= ONNXReader.maximumDimensions else {
                    throw cursor.error(.badShape, at: at, tensor: record.name, "more than \(ONNXReader.maximumDimensions) dimensions")
                }
            case 2: record.dataType = UInt64(bitPattern: try int64(key, at: at, what: "data_type"))
            case 8: record.name = try string(key, at: at, end: end, what: "tensor name")
            case 9:
                try expect(key, .lengthDelimited, at: at, "raw_data")
                let length = try cursor.readLength(end: end, what: "raw_data")
                if length <= ONNXGraphReader.maximumRawValueBytes {
                    record.raw = try cursor.readBytes(UInt64(length), limit: ONNXGraphReader.maximumRawValueBytes, what: "raw_data")
                } else {
                    record.raw = []
                    try cursor.skip(UInt64(length), what: "raw_data")
                }
            case 4:
                try readFloats(key, at: at, end: end, into: &record.doubles, seen: &record.typedCount, what: "float_data")
            case 10:
                try readDoubles(key, at: at, end: end, into: &record.doubles, seen: &record.typedCount, what: "double_data")
            case 5, 7, 11:
                let before = record.ints.count
                var extra = false
                try readVarints(key, at: at, end: end, limit: ONNXConstant.maximumValues, into: &record.ints,
                                overflow: &extra, what: key.field == 5 ? "int32_data" : key.field == 7 ? "int64_data" : "uint64_data")
                record.typedCount += record.ints.count - before + (extra ? ONNXConstant.maximumValues + 1 : 0)
                if key.field == 5 {
                    // int32_data carries int32, int16, int8 and float16 bits as sign-extended varints.
                    for index in before..<record.ints.count { record.ints[index] = Int64(Int32(truncatingIfNeeded: record.ints[index])) }
                }
                if key.field == 11, record.ints[before...].contains(where: { $0 < 0 }) { record.typedCount = -1 }
            case 13:
                record.isExternal = true
                try cursor.skipValue(key, end: end)
            case 14:
                record.isExternal = try int64(key, at: at, what: "data_location") == 1
            default:
                try cursor.skipValue(key, end: end)
            }
        }
        try finish(end, "tensor")
        return record
    }

    /// A `SparseTensorProto` as an initializer: the name and type of its values (1) and its dims (3).
    mutating func readSparseTensor(end: Int64, at start: Int64) throws(ModelFileError) -> (String, ONNXConstant) {
        var values = TensorRecord()
        var dims: [Int64] = []
        var overflow = false
        while cursor.offset < end {
            let at = cursor.offset
            let key = try cursor.readKey()
            switch key.field {
            case 1: values = try readTensor(end: try messageEnd(key, at: at, end: end, what: "sparse values"))
            case 3:
                try readVarints(key, at: at, end: end, limit: ONNXReader.maximumDimensions + 1, into: &dims, overflow: &overflow, what: "dims")
                guard dims.count <= ONNXReader.maximumDimensions else {
                    throw cursor.error(.badShape, at: at, tensor: values.name, "more than \(ONNXReader.maximumDimensions) dimensions")
                }
            default: try cursor.skipValue(key, end: end)
            }
        }
        try finish(end, "sparse tensor")
        values.dims = dims
        values.raw = nil
        values.typedCount = -1
        return (values.name, try values.constant(cursor: cursor, at: start))
    }

    // MARK: Repeated scalars, packed or not

    /// Appends varints (one, or a packed run) to `values`, keeping at most `limit` and noting any beyond.
    mutating func readVarints(_ key: ProtobufKey, at: Int64, end: Int64, limit: Int, into values: inout [Int64],
                              overflow: inout Bool, what: String) throws(ModelFileError) {
        switch key.wireType {
        case .varint:
            let value = Int64(bitPattern: try cursor.readVarint())
            if values.count < limit { values.append(value) } else { overflow = true }
        case .lengthDelimited:
            let length = try cursor.readLength(end: end, what: what)
            let packedEnd = cursor.offset + length
            while cursor.offset < packedEnd {
                guard values.count < limit else {
                    overflow = true
                    try cursor.skip(UInt64(packedEnd - cursor.offset), what: what)
                    break
                }
                values.append(Int64(bitPattern: try cursor.readVarint()))
            }
            try finish(packedEnd, what)
        default:
            throw cursor.error(.badField, at: at, "\(what) (field \(key.field)) has wire type \(key.wireType), expected varint or packed")
        }
    }

    /// Appends 32-bit floats (one, or a packed run), keeping at most 64 and counting all in `seen`.
    mutating func readFloats(_ key: ProtobufKey, at: Int64, end: Int64, into values: inout [Double], seen: inout Int,
                             what: String) throws(ModelFileError) {
        try readFixed(key, at: at, end: end, width: 4, into: &values, seen: &seen, what: what) { Double(Float(bitPattern: UInt32($0))) }
    }

    /// Appends 64-bit floats (one, or a packed run), keeping at most 64 and counting all in `seen`.
    mutating func readDoubles(_ key: ProtobufKey, at: Int64, end: Int64, into values: inout [Double], seen: inout Int,
                              what: String) throws(ModelFileError) {
        try readFixed(key, at: at, end: end, width: 8, into: &values, seen: &seen, what: what) { Double(bitPattern: $0) }
    }

    private mutating func readFixed(_ key: ProtobufKey, at: Int64, end: Int64, width: Int, into values: inout [Double],
                                    seen: inout Int, what: String, _ convert: (UInt64) -> Double) throws(ModelFileError) {
        let single: ProtobufKey.WireType = width == 4 ? .fixed32 : .fixed64
        var count: Int64
        if key.wireType == single {
            count = 1
        } else if key.wireType == .lengthDelimited {
            let length = try cursor.readLength(end: end, what: what)
            guard length % Int64(width) == 0 else {
                throw cursor.error(.badField, at: at, "packed \(what) is \(length) bytes, not a multiple of \(width)")
            }
            count = length / Int64(width)
        } else {
            throw cursor.error(.badField, at: at, "\(what) (field \(key.field)) has wire type \(key.wireType), expected \(single) or packed")
        }
        let kept = min(count, Int64(max(0, ONNXConstant.maximumValues - values.count)))
        for _ in 0..<kept { values.append(convert(try cursor.readLittleEndian(width: width))) }
        try cursor.skip(UInt64((count - kept) * Int64(width)), what: what)
        seen += Int(min(count, Int64(ONNXConstant.maximumValues + 1)))
    }

    // MARK: Decoding values

    /// `count` little-endian elements of `type` from `raw`; `nil` when the bytes do not match.
    static func decode(_ raw: [UInt8], type: UInt64, count: Int) -> ONNXValues? {
        let widths: [UInt64: Int] = [1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2]
        guard let width = widths[type], raw.count == count * width else { return nil }
        var words: [UInt64] = []
        for index in 0..<count {
            var word: UInt64 = 0
            for byte in 0..<width { word |= UInt64(raw[index * width + byte]) << (8 * UInt64(byte)) }
            words.append(word)
        }
        switch type {
        case 1: return .floats(words.map { Double(Float(bitPattern: UInt32($0))) })
        case 11: return .floats(words.map { Double(bitPattern: $0) })
        case 10: return .floats(words.map { half(UInt16($0)) })
        case 16: return .floats(words.map { Double(Float(bitPattern: UInt32($0) << 16)) })
        case 3: return .ints(words.map { Int64(Int8(truncatingIfNeeded: $0)) })
        case 5: return .ints(words.map { Int64(Int16(truncatingIfNeeded: $0)) })
        case 6: return .ints(words.map { Int64(Int32(truncatingIfNeeded: $0)) })
        case 7: return .ints(words.map { Int64(bitPattern: $0) })
        case 13:
            guard words.allSatisfy({ $0 <= UInt64(Int64.max) }) else { return nil }
            return .ints(words.map { Int64($0) })
        case 9: return .ints(words.map { $0 == 0 ? 0 : 1 })
        default: return .ints(words.map { Int64($0) })
        }
    }

    /// An IEEE half-precision number's value.
    static func half(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 == 0 ? 1 : -1
        let exponent = Int((bits >> 10) & 0x1f)
        let fraction = Double(bits & 0x3ff)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
