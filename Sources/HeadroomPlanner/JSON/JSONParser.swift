// A small JSON parser, by hand: FoundationEssentials' JSONDecoder can only
// reach an untyped tree by trying each type in turn (an error thrown per miss,
// which made a 200-tensor header cost milliseconds) and it has no depth limit
// for an untrusted 100 MB header. This one is a single pass over the bytes
// with nesting capped at ``JSONParser/maximumDepth``.

/// What of a JSON value to build: values a reader ignores are checked and
/// skipped without being built, so a header's memory is bounded by what is kept,
/// not by what it holds (a 90 MB array under an ignored key costs nothing).
indirect enum JSONKeep: Sendable {
    /// Build the value whole.
    case all
    /// Build a scalar; an array or object is checked, skipped and given empty (its kind is kept for errors).
    case scalars
    /// Check and skip the value; an object member with this rule is left out.
    case skip
    /// An object's members by name, each with its own rule, and `other` for the rest.
    case fields([String: JSONKeep], other: JSONKeep)

    func rule(for key: String) -> JSONKeep {
        if case .fields(let named, let other) = self { return named[key] ?? other }
        return self
    }
}

/// Parses RFC 8259 JSON into ``JSONValue``.
struct JSONParser {
    /// Arrays and objects nested deeper than this are refused.
    static let maximumDepth = 128

    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The value in `bytes`, or `nil` when they are not one JSON value (surrounding whitespace allowed).
    static func parse(_ bytes: [UInt8], keep: JSONKeep = .all) -> JSONValue? {
        var parser = JSONParser(bytes)
        guard let value = parser.value(depth: 0, keep: keep) else { return nil }
        parser.skipWhitespace()
        return parser.index == bytes.count ? value : nil
    }

    /// How a walk of an object's members ended.
    enum WalkEnd {
        case finished, stopped, invalid
    }

    /// Walks the object that `bytes` hold member by member: each value is built by
    /// `keep`'s rule for its name and handed to `body`, then dropped, so memory is
    /// what `body` keeps. Members whose rule is `.skip` are checked but not handed over.
    /// `body` returns `false` to stop.
    static func members(of bytes: [UInt8], keep: JSONKeep, _ body: (String, JSONValue) -> Bool) -> WalkEnd {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "{") else { return .invalid }
        parser.index += 1
        parser.skipWhitespace()
        if parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "}") {
            parser.index += 1
        } else {
            while true {
                parser.skipWhitespace()
                guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "\""), let key = parser.string() else {
                    return .invalid
                }
                parser.skipWhitespace()
                guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: ":") else { return .invalid }
                parser.index += 1
                let rule = keep.rule(for: key)
                guard let value = parser.value(depth: 1, keep: rule) else { return .invalid }
                if case .skip = rule {} else if !body(key, value) { return .stopped }
                parser.skipWhitespace()
                guard parser.index < bytes.count else { return .invalid }
                if bytes[parser.index] == UInt8(ascii: ",") { parser.index += 1; continue }
                if bytes[parser.index] == UInt8(ascii: "}") { parser.index += 1; break }
                return .invalid
            }
        }
        parser.skipWhitespace()
        return parser.index == bytes.count ? .finished : .invalid
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 }
    }

    private mutating func value(depth: Int, keep: JSONKeep = .all) -> JSONValue? {
        skipWhitespace()
        guard index < bytes.count, depth <= JSONParser.maximumDepth else { return nil }
        let isContainer = bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[")
        switch keep {
        case .skip:
            return skip(depth: depth) ? .null : nil
        case .scalars where isContainer, .fields where bytes[index] == UInt8(ascii: "["):
            let isObject = bytes[index] == UInt8(ascii: "{")
            guard skip(depth: depth) else { return nil }
            return isObject ? .object([:]) : .array([])
        case .all, .scalars, .fields:
            break
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object(depth: depth, keep: keep)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { return nil }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return nil }
        index += count
        return value
    }

    private mutating func object(depth: Int, keep: JSONKeep) -> JSONValue? {
        index += 1
        var fields: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(fields)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            let rule = keep.rule(for: key)
            guard let value = value(depth: depth + 1, keep: rule) else { return nil }
            if case .skip = rule {} else { fields[key] = value }
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(fields) }
            return nil
        }
    }

    private mutating func array(depth: Int) -> JSONValue? {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            guard let element = value(depth: depth + 1) else { return nil }
            elements.append(element)
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
            return nil
        }
    }

    /// A string starting at the opening quote; escapes decoded, surrogate pairs joined.
    private mutating func string() -> String? {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "\"") {
            defer { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        var result = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: result, as: UTF8.self)
            }
            guard byte >= 0x20 else { return nil }
            if byte != UInt8(ascii: "\\") {
                result.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { return nil }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(escape)
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0c)
            case UInt8(ascii: "n"): result.append(0x0a)
            case UInt8(ascii: "r"): result.append(0x0d)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return nil }
                if (0xd800..<0xdc00).contains(scalar), bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                   bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    guard let low = hex4(), (0xdc00..<0xe000).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                }
                result += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{fffd}").utf8)
            default: return nil
            }
        }
        return nil
    }

    /// Checks the value at `index` and moves past it without building anything.
    private mutating func skip(depth: Int) -> Bool {
        skipWhitespace()
        guard index < bytes.count, depth <= JSONParser.maximumDepth else { return false }
        let open = bytes[index]
        guard open == UInt8(ascii: "{") || open == UInt8(ascii: "[") else {
            switch open {
            case UInt8(ascii: "\""): return skipString()
            case UInt8(ascii: "t"): return literal("true", .null) != nil
            case UInt8(ascii: "f"): return literal("false", .null) != nil
            case UInt8(ascii: "n"): return literal("null", .null) != nil
            default: return number() != nil
            }
        }
        let isObject = open == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == close {
            index += 1
            return true
        }
        while true {
            if isObject {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), skipString() else { return false }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                index += 1
            }
            guard skip(depth: depth + 1) else { return false }
            skipWhitespace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == close { index += 1; return true }
            return false
        }
    }

    /// Checks the string starting at the opening quote and moves past it, decoding nothing.
    private mutating func skipString() -> Bool {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return true
            }
            guard byte >= 0x20 else { return false }
            index += 1
            guard byte == UInt8(ascii: "\\") else { continue }
            guard index < bytes.count else { return false }
            let escape = bytes[index]
            index += 1
            if escape == UInt8(ascii: "u") {
                guard hex4() != nil else { return false }
            } else if !"\"\\/bfnrt".utf8.contains(escape) {
                return false
            }
        }
        return false
    }

    private mutating func hex4() -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// An integer when it has no fraction or exponent and fits `Int64`, else a double.
    private mutating func number() -> JSONValue? {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard index > digitsStart else { return nil }
        if bytes[digitsStart] == UInt8(ascii: "0"), index - digitsStart > 1 { return nil }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let fraction = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > fraction else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponent = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > exponent else { return nil }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        return Double(text).map(JSONValue.double)
    }
}
