/// `TensorProto.DataType` of onnx.proto: the element type of each number.
enum ONNXDataType {
    /// `(name, elements per block, bytes per block)`; strings (8) have no fixed size.
    static let table: [UInt64: (String, Int64, Int64)] = [
        1: ("FLOAT", 1, 4), 2: ("UINT8", 1, 1), 3: ("INT8", 1, 1), 4: ("UINT16", 1, 2),
        5: ("INT16", 1, 2), 6: ("INT32", 1, 4), 7: ("INT64", 1, 8), 8: ("STRING", 1, 0),
        9: ("BOOL", 1, 1), 10: ("FLOAT16", 1, 2), 11: ("DOUBLE", 1, 8), 12: ("UINT32", 1, 4),
        13: ("UINT64", 1, 8), 14: ("COMPLEX64", 1, 8), 15: ("COMPLEX128", 1, 16), 16: ("BFLOAT16", 1, 2),
        17: ("FLOAT8E4M3FN", 1, 1), 18: ("FLOAT8E4M3FNUZ", 1, 1), 19: ("FLOAT8E5M2", 1, 1),
        20: ("FLOAT8E5M2FNUZ", 1, 1), 21: ("UINT4", 2, 1), 22: ("INT4", 2, 1), 23: ("FLOAT4E2M1", 2, 1),
        24: ("FLOAT8E8M0", 1, 1), 25: ("UINT2", 4, 1), 26: ("INT2", 4, 1),
    ]

    static let string: UInt64 = 8

    static func elementType(_ number: UInt64) -> ElementType? {
        table[number].map { ElementType(name: $0.0, blockSize: $0.1, blockBytes: $0.2) }
    }
}
