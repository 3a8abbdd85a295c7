#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import HeadroomAdvisor
import HeadroomRun

/// Writing to standard output and error.
enum Output {
    /// `value` as pretty-printed JSON with a trailing newline.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    static func write(_ text: String) {
        print(text, terminator: "")
    }
}

/// A failure the message explains: printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

extension Output {
    /// One line on standard error: progress and notes that must not mix with the result.
    static func note(_ line: String) {
        raw(line + "\n")
    }

    /// Text on standard error as it is, with no newline: a status line redrawn in place.
    static func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
    }
}
