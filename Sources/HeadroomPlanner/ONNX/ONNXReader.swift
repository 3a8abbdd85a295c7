/// Reads an ONNX model's initializers (the weights): names, dims, data types
/// and where the data lies, walking the protobuf in place.
///
/// It follows `ModelProto.graph` (field 7) to `GraphProto.initializer`
/// (field 5) and reads each `TensorProto`'s `dims` (1), `data_type` (2),
/// `name` (8), the length of `raw_data` (9, skipped, never read),
/// `external_data` (13) and `data_location` (14). Every other field is
/// skipped by its length. Memory is a 64 KiB buffer plus the names, whatever
/// the model's size. Initializers with external data are checked against the
/// file they name, which must lie beside the model.
public enum ONNXReader {
    /// The most dimensions a tensor may declare.
    public static let maximumDimensions = 64
    static let maximumNameLength = 65_536

    /// What one ONNX model holds.
    public struct Contents: Sendable, Hashable {
        public var tensors: [TensorInfo]
        /// Bytes of initializer data stored inside the model file.
        public var inlineBytes: Int64
        /// Bytes of initializer data in external files.
        public var externalBytes: Int64
        /// External data files named by the initializers, in order of first use.
        public var externalFiles: [String]
    }

    /// Reads the model at `path`; external data is looked for in its directory.
    public static func read(path: String) throws(ModelFileError) -> Contents {
        try read(ModelFile(path: path), directory: SafetensorsIndexReader.directoryOf(path))
    }

    /// Reads `file`; `directory` (with a trailing slash) is where external data lies, `nil` to refuse external data.
    public static func read(_ file: ModelFile, directory: String?) throws(ModelFileError) -> Contents {
        var cursor = FileCursor(file: file)
        var state = ReadState(directory: directory)
        let end = file.size
        while cursor.offset < end {
            let key = try cursor.readKey()
            if key.field == 7, key.wireType == .lengthDelimited {
                let length = try cursor.readLength(end: end, what: "graph")
                try readGraph(cursor: &cursor, end: cursor.offset + length, state: &state)
            } else {
                try cursor.skipValue(key, end: end)
            }
        }
        return Contents(tensors: state.tensors, inlineBytes: state.inlineBytes, externalBytes: state.externalBytes,
                        externalFiles: state.externalFiles)
    }

    private static func readGraph(cursor: inout FileCursor, end: Int64, state: inout ReadState) throws(ModelFileError) {
        while cursor.offset < end {
            let key = try cursor.readKey()
            if key.field == 5, key.wireType == .lengthDelimited {
                let at = cursor.offset
                let length = try cursor.readLength(end: end, what: "initializer")
                let tensor = try readTensor(cursor: &cursor, end: cursor.offset + length)
                try state.add(tensor, at: at, cursor: cursor)
            } else {
                try cursor.skipValue(key, end: end)
            }
        }
    }

    /// One `TensorProto`'s fields, as read.
    struct TensorFields {
        var name = ""
        var dims: [Int64] = []
        var dataType: UInt64 = 0
        var rawDataLength: Int64?
        var stringBytes: Int64 = 0
        var external: [String: String] = [:]
        var isExternal = false
    }

    private static func readTensor(cursor: inout FileCursor, end: Int64) throws(ModelFileError) -> TensorFields {
        var fields = TensorFields()
        while cursor.offset < end {
            let at = cursor.offset
            let key = try cursor.readKey()
            switch (key.field, key.wireType) {
            case (1, .varint):
                fields.dims.append(Int64(bitPattern: try cursor.readVarint()))
            case (1, .lengthDelimited):
                let packedLength = try cursor.readLength(end: end, what: "dims")
                let packedEnd = cursor.offset + packedLength
                while cursor.offset < packedEnd {
                    fields.dims.append(Int64(bitPattern: try cursor.readVarint()))
                    guard fields.dims.count <= maximumDimensions else { break }
                }
            case (2, .varint):
                fields.dataType = try cursor.readVarint()
            case (8, .lengthDelimited):
                fields.name = try cursor.readProtobufString(end: end, limit: maximumNameLength, what: "tensor name")
            case (9, .lengthDelimited):
                let length = try cursor.readLength(end: end, what: "raw_data")
                try cursor.skip(UInt64(length), what: "raw_data")
                fields.rawDataLength = length
            case (6, .lengthDelimited):
                let length = try cursor.readLength(end: end, what: "string_data")
                try cursor.skip(UInt64(length), what: "string_data")
                fields.stringBytes += length
            case (13, .lengthDelimited):
                let entryLength = try cursor.readLength(end: end, what: "external_data")
                let entryEnd = cursor.offset + entryLength
                let (entryKey, value) = try readEntry(cursor: &cursor, end: entryEnd)
                fields.external[entryKey] = value
            case (14, .varint):
                fields.isExternal = try cursor.readVarint() == 1
            default:
                try cursor.skipValue(key, end: end)
            }
            guard fields.dims.count <= maximumDimensions else {
                throw cursor.error(.badShape, at: at, tensor: fields.name, "more than \(maximumDimensions) dimensions")
            }
        }
        guard cursor.offset == end else {
            throw cursor.error(.lengthPastEnd, tensor: fields.name, "a field runs past the end of the tensor's message")
        }
        return fields
    }

    /// A `StringStringEntryProto`: key (1) and value (2).
    private static func readEntry(cursor: inout FileCursor, end: Int64) throws(ModelFileError) -> (String, String) {
        var key = "", value = ""
        while cursor.offset < end {
            let field = try cursor.readKey()
            switch (field.field, field.wireType) {
            case (1, .lengthDelimited): key = try cursor.readProtobufString(end: end, limit: maximumNameLength, what: "external_data key")
            case (2, .lengthDelimited): value = try cursor.readProtobufString(end: end, limit: maximumNameLength, what: "external_data value")
            default: try cursor.skipValue(field, end: end)
            }
        }
        return (key, value)
    }
}
