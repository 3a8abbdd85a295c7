import Foundation

/// Writes safetensors files with known contents.
enum SafetensorsFixture {
    static let sizes: [String: Int] = ["F32": 4, "F16": 2, "BF16": 2, "I8": 1, "U8": 1, "I64": 8, "F64": 8, "I32": 4]

    /// A well-formed file: contiguous data in the order given, zero-filled.
    static func bytes(_ tensors: [(String, String, [Int])], metadata: [String: String]? = nil) -> [UInt8] {
        var entries: [String] = []
        var offset = 0
        for (name, dtype, shape) in tensors {
            let size = shape.reduce(1, *) * (sizes[dtype] ?? 1)
            entries.append("\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        if let metadata {
            let fields = metadata.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
            entries.append("\"__metadata__\":{\(fields)}")
        }
        return raw(header: "{" + entries.joined(separator: ",") + "}", dataBytes: offset)
    }

    /// A file with `header` as its JSON and `dataBytes` zero bytes after it.
    static func raw(header: String, dataBytes: Int, declaredLength: UInt64? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        let json = Array(header.utf8)
        bytes.appendLittleEndian(declaredLength ?? UInt64(json.count))
        bytes += json
        bytes += [UInt8](repeating: 0, count: dataBytes)
        return bytes
    }
}
