/// Reads a `.safetensors` file's header, never its tensor data.
///
/// The layout is an 8-byte little-endian header length, a JSON object of
/// `name: {dtype, shape, data_offsets}` (and an optional `__metadata__`
/// object of strings), then the data section. The rules are those of the
/// reference reader (huggingface/safetensors): the header is at most 100 MB,
/// each tensor's `end − begin` equals elements × dtype size, the ranges are
/// contiguous from 0 with no hole and no overlap, and together cover the data
/// section exactly.
public enum SafetensorsReader {
    /// The reference reader's cap on the header length.
    public static let maximumHeaderLength: UInt64 = 100_000_000

    /// What one safetensors file holds.
    public struct Contents: Sendable, Hashable {
        public var tensors: [TensorInfo]
        /// `__metadata__`, string values only.
        public var metadata: [String: String]
        /// Bytes before the data section (8 + header length).
        public var headerBytes: Int64
    }

    /// Reads the file at `path`.
    public static func read(path: String) throws(ModelFileError) -> Contents {
        try read(ModelFile(path: path))
    }

    /// Reads `file`'s header and checks it against the file's size.
    public static func read(_ file: ModelFile) throws(ModelFileError) -> Contents {
        let path = file.path
        guard file.size >= 8 else {
            throw ModelFileError(.truncated, path: path, offset: 0, "file is \(file.size) bytes, shorter than the 8-byte header length")
        }
        let lengthBytes = try file.read(at: 0, count: 8)
        let length = lengthBytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= maximumHeaderLength else {
            throw ModelFileError(.lengthTooLarge, path: path, offset: 0,
                                 "header length \(length) is more than the \(maximumHeaderLength) bytes allowed")
        }
        guard length <= UInt64(file.size - 8) else {
            throw ModelFileError(.lengthPastEnd, path: path, offset: 0,
                                 "header length \(length) runs past the end of the file (\(file.size - 8) bytes after it)")
        }
        let headerBytes = try file.read(at: 8, count: Int(length))
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw ModelFileError(.badJSON, path: path, offset: 8, "header is not valid JSON beginning with '{'")
        }
        var metadata: [String: String] = [:]
        var tensors: [TensorInfo] = []
        var ranges: [(begin: Int64, end: Int64, name: String)] = []
        var names: Set<String> = []
        var failure: ModelFileError?
        // Tensor by tensor, keeping only the fields read: the header's memory is the tensors', whatever else it holds.
        let walk = JSONParser.members(of: headerBytes, keep: headerKeep) { name, entry in
            do throws(ModelFileError) {
                guard names.insert(name).inserted else {
                    throw ModelFileError(.duplicate, path: path, offset: 8, tensor: name, "appears twice in the header")
                }
                if name == "__metadata__" {
                    metadata = try metadataStrings(entry, path: path)
                    return true
                }
                let (tensor, begin, end) = try tensorInfo(name: name, entry: entry, path: path)
                tensors.append(tensor)
                ranges.append((begin, end, name))
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        guard walk == .finished else {
            throw ModelFileError(.badJSON, path: path, offset: 8, "header is not valid JSON beginning with '{'")
        }
        try checkRanges(&ranges, dataLength: file.size - 8 - Int64(length), path: path, dataStart: 8 + Int64(length))
        tensors.sort { $0.name < $1.name }
        return Contents(tensors: tensors, metadata: metadata, headerBytes: 8 + Int64(length))
    }

    /// What of the header is built: each tensor's dtype, shape and offsets, and the metadata's strings.
    static let headerKeep = JSONKeep.fields(
        ["__metadata__": .fields([:], other: .scalars)],
        other: .fields(["dtype": .scalars, "shape": .all, "data_offsets": .all], other: .skip))

    /// `__metadata__`'s string values.
    private static func metadataStrings(_ entry: JSONValue, path: String) throws(ModelFileError) -> [String: String] {
        guard let fields = entry.objectValue else {
            throw ModelFileError(.badField, path: path, offset: 8, "__metadata__ is \(entry.kind), not an object")
        }
        var metadata: [String: String] = [:]
        for (key, value) in fields {
            guard let text = value.stringValue else {
                throw ModelFileError(.badField, path: path, offset: 8, key: key, "__metadata__ value is \(value.kind), not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func tensorInfo(name: String, entry: JSONValue, path: String) throws(ModelFileError) -> (TensorInfo, Int64, Int64) {
        func fail(_ rule: ModelFileError.Rule, _ message: String) -> ModelFileError {
            ModelFileError(rule, path: path, offset: 8, tensor: name, message)
        }
        guard let fields = entry.objectValue else { throw fail(.badField, "entry is \(entry.kind), not an object") }
        guard let dtypeName = fields["dtype"]?.stringValue else { throw fail(.badField, "no string 'dtype'") }
        guard let type = SafetensorsDType.elementType(dtypeName) else { throw fail(.unknownType, "unknown dtype '\(dtypeName)'") }
        guard let shapeValues = fields["shape"]?.arrayValue else { throw fail(.badField, "no array 'shape'") }
        var shape: [Int64] = []
        for value in shapeValues {
            guard let dimension = value.integerValue, dimension >= 0 else {
                throw fail(.badShape, "shape has a dimension that is not a non-negative integer")
            }
            shape.append(dimension)
        }
        guard let offsets = fields["data_offsets"]?.arrayValue, offsets.count == 2,
              let begin = offsets[0].integerValue, let end = offsets[1].integerValue, begin >= 0, end >= begin else {
            throw fail(.badField, "'data_offsets' is not two non-negative integers [begin, end] with begin ≤ end")
        }
        guard let elements = elementCount(shape) else {
            throw fail(.badShape, "shape \(shape) overflows 64 bits when multiplied out")
        }
        guard let bytes = type.byteCount(elements: elements) else {
            throw fail(.badShape, "\(elements) elements of \(dtypeName) are not a whole number of bytes or overflow 64 bits")
        }
        guard end - begin == bytes else {
            throw fail(.sizeMismatch, "data_offsets span \(end - begin) bytes but \(elements) × \(dtypeName) is \(bytes)")
        }
        return (TensorInfo(name: name, type: type, shape: shape, elementCount: elements, byteCount: bytes), begin, end)
    }

    private static func checkRanges(_ ranges: inout [(begin: Int64, end: Int64, name: String)], dataLength: Int64,
                                    path: String, dataStart: Int64) throws(ModelFileError) {
        ranges.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var expected: Int64 = 0
        for range in ranges {
            guard range.begin == expected else {
                let what = range.begin > expected ? "leaves a hole: data starts at \(range.begin), expected \(expected)"
                                                  : "overlaps the tensor before it: data starts at \(range.begin), expected \(expected)"
                throw ModelFileError(.notContiguous, path: path, offset: dataStart.addingSaturating(min(range.begin, expected)), tensor: range.name, what)
            }
            expected = range.end
        }
        guard expected == dataLength else {
            if expected > dataLength {
                throw ModelFileError(.dataPastEnd, path: path, offset: dataStart + dataLength, tensor: ranges.last?.name,
                                     "tensor data ends at \(dataStart.addingSaturating(expected)) but the file is \(dataStart.addingSaturating(dataLength)) bytes")
            }
            throw ModelFileError(.notContiguous, path: path, offset: dataStart.addingSaturating(expected),
                                 "tensors cover \(expected) bytes of a \(dataLength)-byte data section")
        }
    }
}
