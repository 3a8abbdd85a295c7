import Foundation

/// Writes ONNX models in protobuf wire format by hand, so tests need no protobuf library.
enum ONNXFixture {
    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7f)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
        return bytes
    }

    static func key(_ field: UInt64, _ wireType: UInt64) -> [UInt8] { varint(field << 3 | wireType) }
    static func varintField(_ field: UInt64, _ value: UInt64) -> [UInt8] { key(field, 0) + varint(value) }
    static func bytesField(_ field: UInt64, _ bytes: [UInt8]) -> [UInt8] { key(field, 2) + varint(UInt64(bytes.count)) + bytes }
    static func stringField(_ field: UInt64, _ text: String) -> [UInt8] { bytesField(field, Array(text.utf8)) }

    /// A `TensorProto`: dims (unpacked, or packed when `packed`), data_type, name, and raw_data or external data.
    static func tensor(name: String, dims: [Int64], dataType: UInt64, rawData: Int? = nil,
                       external: [(String, String)]? = nil, packed: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        if packed {
            bytes += bytesField(1, dims.flatMap { varint(UInt64(bitPattern: $0)) })
        } else {
            for dim in dims { bytes += varintField(1, UInt64(bitPattern: dim)) }
        }
        bytes += varintField(2, dataType)
        bytes += stringField(8, name)
        if let rawData { bytes += bytesField(9, [UInt8](repeating: 7, count: rawData)) }
        if let external {
            for (k, v) in external { bytes += bytesField(13, stringField(1, k) + stringField(2, v)) }
            bytes += varintField(14, 1)
        }
        return bytes
    }

    /// A `ModelProto` with ir_version, a producer name, and a graph holding a node, `initializers` and a name.
    static func model(_ initializers: [[UInt8]]) -> [UInt8] {
        var graph: [UInt8] = bytesField(1, stringField(4, "MatMul"))  // a NodeProto with op_type
        graph += stringField(2, "main")
        for initializer in initializers { graph += bytesField(5, initializer) }
        return varintField(1, 9) + stringField(2, "fixture") + bytesField(7, graph)
    }
}
