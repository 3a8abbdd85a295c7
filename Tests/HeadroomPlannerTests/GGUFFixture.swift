import Foundation
import HeadroomPlanner

/// Writes GGUF files byte by byte, so tests know every offset.
struct GGUFFixture {
    enum Value {
        case u8(UInt8), i8(Int8), u16(UInt16), i16(Int16), u32(UInt32), i32(Int32), f32(Float), bool(Bool)
        case string(String), array(UInt32, [Value]), u64(UInt64), i64(Int64), f64(Double)

        var typeNumber: UInt32 {
            switch self {
            case .u8: 0
            case .i8: 1
            case .u16: 2
            case .i16: 3
            case .u32: 4
            case .i32: 5
            case .f32: 6
            case .bool: 7
            case .string: 8
            case .array: 9
            case .u64: 10
            case .i64: 11
            case .f64: 12
            }
        }

        func encode(into bytes: inout [UInt8]) {
            switch self {
            case .u8(let v): bytes.appendLittleEndian(v)
            case .i8(let v): bytes.appendLittleEndian(v)
            case .u16(let v): bytes.appendLittleEndian(v)
            case .i16(let v): bytes.appendLittleEndian(v)
            case .u32(let v): bytes.appendLittleEndian(v)
            case .i32(let v): bytes.appendLittleEndian(v)
            case .f32(let v): bytes.appendLittleEndian(v.bitPattern)
            case .bool(let v): bytes.append(v ? 1 : 0)
            case .string(let s): GGUFFixture.appendString(s, to: &bytes)
            case .array(let type, let elements):
                bytes.appendLittleEndian(type)
                bytes.appendLittleEndian(UInt64(elements.count))
                for element in elements { element.encode(into: &bytes) }
            case .u64(let v): bytes.appendLittleEndian(v)
            case .i64(let v): bytes.appendLittleEndian(v)
            case .f64(let v): bytes.appendLittleEndian(v.bitPattern)
            }
        }
    }

    var version: UInt32 = 3
    var metadata: [(String, Value)] = []
    /// Name, dims (ggml order), type name.
    var tensors: [(String, [UInt64], String)] = []
    var alignment: Int = 32

    static func appendString(_ string: String, to bytes: inout [UInt8]) {
        bytes.appendLittleEndian(UInt64(string.utf8.count))
        bytes += Array(string.utf8)
    }

    /// The bytes of one tensor of `type` with `dims`.
    static func byteCount(_ dims: [UInt64], _ type: String) -> Int {
        let element = GGMLType.elementType(GGMLType.number(named: type)!)!
        let elements = Int(truncatingIfNeeded: dims.reduce(1, &*))
        return elements / Int(element.blockSize) &* Int(element.blockBytes)
    }

    /// The file: header, tensor infos with aligned offsets, padding, zero data.
    func bytes() -> [UInt8] {
        var bytes = Array("GGUF".utf8)
        bytes.appendLittleEndian(version)
        bytes.appendLittleEndian(UInt64(tensors.count))
        bytes.appendLittleEndian(UInt64(metadata.count))
        for (key, value) in metadata {
            GGUFFixture.appendString(key, to: &bytes)
            bytes.appendLittleEndian(value.typeNumber)
            value.encode(into: &bytes)
        }
        var offset = 0
        for (name, dims, type) in tensors {
            GGUFFixture.appendString(name, to: &bytes)
            bytes.appendLittleEndian(UInt32(dims.count))
            for dim in dims { bytes.appendLittleEndian(dim) }
            bytes.appendLittleEndian(GGMLType.number(named: type)!)
            bytes.appendLittleEndian(UInt64(offset))
            offset = min(offset &+ (GGUFFixture.byteCount(dims, type) &+ alignment - 1) / alignment * alignment, 1 << 20)
        }
        while bytes.count % alignment != 0 { bytes.append(0) }
        bytes += [UInt8](repeating: 0, count: offset)
        return bytes
    }
}
