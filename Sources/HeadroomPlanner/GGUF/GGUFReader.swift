/// Reads a GGUF file's header (llama.cpp's format): metadata and tensor infos, never tensor data.
///
/// Layout (v2 and v3, little-endian): magic `GGUF`, `u32` version, `u64`
/// tensor count, `u64` metadata count, the metadata key/values, the tensor
/// infos (`name`, `u32` dimensions, `u64` each, `u32` ggml type, `u64`
/// offset), padding to `general.alignment` (default 32), then the data.
/// Refused as llama.cpp refuses them: version 1 and versions above 3,
/// duplicate keys and tensor names, more than 4 dimensions, a first dimension
/// that is not a whole number of blocks, offsets out of order or unaligned,
/// and any length that runs past the end of the file.
public enum GGUFReader {
    /// ggml's limit on dimensions.
    public static let maximumDimensions: UInt32 = 4
    /// Arrays nested deeper than this are refused.
    public static let maximumArrayDepth = 4
    /// Array contents are kept (not just their count) up to this length.
    public static let keptArrayLength: UInt64 = 16
    /// String values longer than this are skipped, not kept.
    public static let keptStringLength: UInt64 = 1 << 20
    /// Keys and tensor names longer than this are refused.
    public static let maximumNameLength = 65_536

    /// What one GGUF file holds.
    public struct Contents: Sendable, Hashable {
        public var version: UInt32
        public var alignment: Int64
        /// Metadata in file order.
        public var metadata: [(key: String, value: GGUFValue)]
        public var tensors: [TensorInfo]
        /// The offset of the data section.
        public var dataOffset: Int64

        /// The metadata value under `key`.
        public func value(_ key: String) -> GGUFValue? {
            metadata.first { $0.key == key }?.value
        }

        public static func == (lhs: Contents, rhs: Contents) -> Bool {
            lhs.version == rhs.version && lhs.alignment == rhs.alignment && lhs.tensors == rhs.tensors
                && lhs.dataOffset == rhs.dataOffset && lhs.metadata.map(\.key) == rhs.metadata.map(\.key)
                && lhs.metadata.map(\.value) == rhs.metadata.map(\.value)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(version)
            hasher.combine(tensors)
        }
    }

    /// Reads the file at `path`.
    public static func read(path: String) throws(ModelFileError) -> Contents {
        try read(ModelFile(path: path))
    }

    /// Reads `file`'s header and checks every tensor against the file's size.
    public static func read(_ file: ModelFile) throws(ModelFileError) -> Contents {
        var cursor = FileCursor(file: file)
        guard file.size >= 4, try cursor.readBytes(4, limit: 4, what: "magic") == Array("GGUF".utf8) else {
            throw cursor.error(.badMagic, at: 0, "not a GGUF file: it does not begin with 'GGUF'")
        }
        let version = try cursor.readUInt32()
        guard version != 1 else {
            throw cursor.error(.unsupportedVersion, at: 4, "GGUF version 1 is no longer supported (llama.cpp reads 2 and 3)")
        }
        guard version == 2 || version == 3 else {
            throw cursor.error(.unsupportedVersion, at: 4, "GGUF version \(version) is not supported (2 and 3 are; a big-endian file reads as a huge version)")
        }
        let tensorCountOffset = cursor.offset
        let tensorCount = try cursor.readUInt64()
        let keyCount = try cursor.readUInt64()
        // Each key/value takes at least 13 bytes, each tensor info 24.
        guard keyCount <= UInt64(cursor.remaining) / 13 else {
            throw cursor.error(.lengthPastEnd, at: tensorCountOffset + 8, "\(keyCount) metadata entries cannot fit in the \(cursor.remaining) bytes left")
        }
        guard tensorCount <= UInt64(cursor.remaining) / 24 else {
            throw cursor.error(.lengthPastEnd, at: tensorCountOffset, "\(tensorCount) tensor infos cannot fit in the \(cursor.remaining) bytes left")
        }
        let metadata = try readMetadata(count: keyCount, cursor: &cursor)
        let alignment = try alignment(in: metadata, cursor: cursor)
        var tensors: [TensorInfo] = []
        var offsets: [(offset: UInt64, at: Int64)] = []
        tensors.reserveCapacity(Int(min(tensorCount, 65_536)))
        var names: Set<String> = []
        for _ in 0..<tensorCount {
            let at = cursor.offset
            let (tensor, offset) = try readTensorInfo(cursor: &cursor)
            guard names.insert(tensor.name).inserted else {
                throw cursor.error(.duplicate, at: at, tensor: tensor.name, "tensor name appears twice")
            }
            tensors.append(tensor)
            offsets.append((offset, at))
        }
        let dataOffset = (cursor.offset + alignment - 1) / alignment * alignment
        try checkData(tensors: tensors, offsets: offsets, dataOffset: dataOffset, alignment: alignment, cursor: cursor)
        return Contents(version: version, alignment: alignment, metadata: metadata, tensors: tensors, dataOffset: dataOffset)
    }

    /// `general.alignment`: a `u32` power of two; 32 when absent.
    private static func alignment(in metadata: [(key: String, value: GGUFValue)], cursor: FileCursor) throws(ModelFileError) -> Int64 {
        guard let value = metadata.first(where: { $0.key == "general.alignment" })?.value else { return 32 }
        guard case .unsigned(let alignment) = value, alignment > 0, alignment <= 1 << 30, alignment & (alignment - 1) == 0 else {
            throw cursor.error(.badAlignment, tensor: "general.alignment", "general.alignment must be a power of two, got \(value)")
        }
        return Int64(alignment)
    }

    private static func readTensorInfo(cursor: inout FileCursor) throws(ModelFileError) -> (TensorInfo, UInt64) {
        let at = cursor.offset
        let name = try readString(cursor: &cursor, limit: maximumNameLength, what: "tensor name")
        let dimensionCount = try cursor.readUInt32()
        guard dimensionCount <= maximumDimensions else {
            throw cursor.error(.badShape, at: at, tensor: name, "\(dimensionCount) dimensions, more than ggml's \(maximumDimensions)")
        }
        var shape: [Int64] = []
        for _ in 0..<dimensionCount {
            let dimension = try cursor.readUInt64()
            guard dimension <= UInt64(Int64.max) else {
                throw cursor.error(.badShape, at: at, tensor: name, "dimension \(dimension) is larger than ggml allows")
            }
            shape.append(Int64(dimension))
        }
        let typeNumber = try cursor.readUInt32()
        guard let type = GGMLType.elementType(typeNumber) else {
            throw cursor.error(.unknownType, at: cursor.offset - 4, tensor: name, "unknown ggml type \(typeNumber)")
        }
        let offset = try cursor.readUInt64()
        guard let elements = elementCount(shape) else {
            throw cursor.error(.badShape, at: at, tensor: name, "shape \(shape) overflows 64 bits when multiplied out")
        }
        guard (shape.first ?? 1) % type.blockSize == 0, let bytes = type.byteCount(elements: elements) else {
            throw cursor.error(.badShape, at: at, tensor: name,
                               "first dimension \(shape.first ?? 1) is not a multiple of \(type.name)'s block of \(type.blockSize)")
        }
        return (TensorInfo(name: name, type: type, shape: shape, elementCount: elements, byteCount: bytes), offset)
    }

    /// Checks that tensors follow one another in order, each at the aligned end of the one before, inside the file.
    private static func checkData(tensors: [TensorInfo], offsets: [(offset: UInt64, at: Int64)], dataOffset: Int64,
                                  alignment: Int64, cursor: FileCursor) throws(ModelFileError) {
        var expected: Int64 = 0
        for (tensor, entry) in zip(tensors, offsets) {
            guard entry.offset % UInt64(alignment) == 0 else {
                throw cursor.error(.badAlignment, at: entry.at, tensor: tensor.name, "data offset \(entry.offset) is not a multiple of the alignment \(alignment)")
            }
            guard entry.offset == UInt64(expected) else {
                throw cursor.error(.notContiguous, at: entry.at, tensor: tensor.name, "data offset \(entry.offset), expected \(expected) (tensors are stored in order)")
            }
            let end = expected.addingSaturating(tensor.byteCount)
            guard end <= cursor.file.size - dataOffset else {
                throw cursor.error(.dataPastEnd, at: entry.at, tensor: tensor.name,
                                   "data ends at byte \(dataOffset.addingSaturating(end)) but the file is \(cursor.file.size) bytes")
            }
            expected = (end + alignment - 1) / alignment * alignment
        }
    }
}
