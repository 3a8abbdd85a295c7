/// Why a model file could not be read: which file, where in it, which tensor,
/// and which rule it broke.
///
/// Every reader throws this one type, so that the command line prints one
/// line a person can act on: `model.gguf: byte 24: string length
/// 18446744073709551615 runs past the end of the file (12 bytes left) [length-past-end]`.
public struct ModelFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule a file broke.
    public enum Rule: String, Sendable, Codable, CaseIterable {
        /// The file could not be opened or read.
        case unreadable = "unreadable"
        /// The file ends before a field it declares.
        case truncated = "truncated"
        /// A declared length runs past the end of the file.
        case lengthPastEnd = "length-past-end"
        /// A declared length is larger than the format allows.
        case lengthTooLarge = "length-too-large"
        /// The bytes are not the format's magic number or header.
        case badMagic = "bad-magic"
        /// A version the reader does not accept.
        case unsupportedVersion = "unsupported-version"
        /// JSON that does not parse, or is not an object where one is needed.
        case badJSON = "bad-json"
        /// A field has the wrong type or an impossible value.
        case badField = "bad-field"
        /// A data type the reader does not know.
        case unknownType = "unknown-type"
        /// A shape with a negative dimension, or whose size overflows.
        case badShape = "bad-shape"
        /// A tensor's byte range disagrees with its shape and type.
        case sizeMismatch = "size-mismatch"
        /// Tensor data ranges leave a hole or overlap.
        case notContiguous = "not-contiguous"
        /// Tensor data lies outside the file.
        case dataPastEnd = "data-past-end"
        /// A key or tensor name appears twice.
        case duplicate = "duplicate"
        /// An alignment that is not a power of two.
        case badAlignment = "bad-alignment"
        /// A shard the index names does not exist, or a tensor is not in its shard.
        case missingShard = "missing-shard"
        /// Index files refer to each other in a loop.
        case cyclicShards = "cyclic-shards"
        /// No model file where one was expected.
        case noModel = "no-model"
    }

    /// The file, as given or as found beside the model.
    public var path: String
    /// The byte offset in the file where the problem was found, where known.
    public var offset: Int64?
    /// The tensor concerned, where there is one.
    public var tensor: String?
    /// The metadata key concerned (GGUF metadata, `config.json`), where there is one.
    public var key: String?
    public var rule: Rule
    /// What was wrong, in words.
    public var message: String

    public init(_ rule: Rule, path: String, offset: Int64? = nil, tensor: String? = nil, key: String? = nil,
                _ message: String) {
        self.rule = rule
        self.path = path
        self.offset = offset
        self.tensor = tensor
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = path
        if let offset { text += ": byte \(offset)" }
        if let tensor { text += ": tensor '\(tensor)'" }
        if let key { text += ": metadata key '\(key)'" }
        return text + ": \(message) [\(rule.rawValue)]"
    }
}
