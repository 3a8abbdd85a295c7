import Crypto

/// A cache key made from content: the input's bytes plus the parameters that
/// shape the result (model name, gamma, sharpen amount…), reduced to a SHA-256
/// digest. The digest depends only on the bytes and parameters, never on the
/// process, so the same frame and settings hit the disk tier across runs.
///
/// The encoding is fixed: the domain `headroom.content-key.v1`, the bytes'
/// length (64-bit little endian) and the bytes, then each parameter in name
/// order as name length, name, a type tag and the value (integers and doubles
/// as 64-bit little endian, strings as length and UTF-8).
public struct ContentKey: Hashable, Sendable, CustomStringConvertible {
    /// The 32 digest bytes as four 64-bit words (cheap to hash and compare).
    let words: (UInt64, UInt64, UInt64, UInt64)

    /// A key for these bytes shaped by these parameters; parameter order does not matter.
    public init(bytes: UnsafeRawBufferPointer, parameters: [String: Parameter] = [:]) {
        var hasher = SHA256()
        Self.feed(&hasher, Array("headroom.content-key.v1".utf8))
        Self.feed(&hasher, UInt64(bytes.count))
        hasher.update(bufferPointer: bytes)
        for name in parameters.keys.sorted() {
            let utf8 = Array(name.utf8)
            Self.feed(&hasher, UInt64(utf8.count))
            Self.feed(&hasher, utf8)
            parameters[name]!.feed(&hasher)
        }
        let digest = Array(hasher.finalize())
        func word(_ at: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(digest[at + $1]) << (8 * UInt64($1)) }
        }
        words = (word(0), word(8), word(16), word(24))
    }

    /// A key for these bytes shaped by these parameters.
    public init(bytes: [UInt8], parameters: [String: Parameter] = [:]) {
        self = bytes.withUnsafeBytes { ContentKey(bytes: $0, parameters: parameters) }
    }

    /// A key for a string's UTF-8 bytes shaped by these parameters.
    public init(_ text: String, parameters: [String: Parameter] = [:]) {
        self.init(bytes: Array(text.utf8), parameters: parameters)
    }

    /// The 32 digest bytes.
    public var digest: [UInt8] {
        [words.0, words.1, words.2, words.3].flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) } }
    }

    /// The digest as 64 lowercase hexadecimal digits.
    public var hex: String { Self.hexString(digest) }

    static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public var description: String { hex }

    public static func == (lhs: ContentKey, rhs: ContentKey) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
    }

    static func feed(_ hasher: inout SHA256, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    static func feed(_ hasher: inout SHA256, _ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { hasher.update(bufferPointer: $0) }
    }
}
