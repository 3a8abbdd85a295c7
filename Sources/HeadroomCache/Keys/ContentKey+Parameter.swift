import Crypto

extension ContentKey {
    /// A setting that shapes a cached result: a string, an integer, a number or a flag.
    public enum Parameter: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
        ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
        case string(String)
        case integer(Int64)
        case number(Double)
        case flag(Bool)

        public init(stringLiteral value: String) { self = .string(value) }
        public init(integerLiteral value: Int64) { self = .integer(value) }
        public init(floatLiteral value: Double) { self = .number(value) }
        public init(booleanLiteral value: Bool) { self = .flag(value) }

        /// Feeds a type tag and the value's fixed encoding.
        func feed(_ hasher: inout SHA256) {
            switch self {
            case .string(let text):
                let utf8 = Array(text.utf8)
                ContentKey.feed(&hasher, [0x73])
                ContentKey.feed(&hasher, UInt64(utf8.count))
                ContentKey.feed(&hasher, utf8)
            case .integer(let value):
                ContentKey.feed(&hasher, [0x69])
                ContentKey.feed(&hasher, UInt64(bitPattern: value))
            case .number(let value):
                ContentKey.feed(&hasher, [0x64])
                // One encoding for zero, so 0.0 and -0.0 give one key.
                ContentKey.feed(&hasher, (value == 0 ? 0 : value).bitPattern)
            case .flag(let value):
                ContentKey.feed(&hasher, [0x62, value ? 1 : 0])
            }
        }
    }
}
