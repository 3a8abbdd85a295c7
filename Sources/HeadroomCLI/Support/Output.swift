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

    /// Writes `text` to standard output, control characters escaped (newlines and
    /// tabs kept), and fails loudly: `headroom env > settings.sh` on a full disk
    /// or a closed descriptor is exit 1 with one line, never a silent success.
    /// - Throws: ``CommandFailure`` naming the system's reason.
    static func write(_ text: String) throws {
        var text = TerminalText.escaped(text, keepingLines: true)
        let failure: Int32? = text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure {
            throw CommandFailure(description: "cannot write to standard output: \(String(cString: strerror(failure)))")
        }
    }
}

/// A failure the message explains: printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    /// A failure described by `description`, made one printable line.
    init(description: String) {
        self.description = TerminalText.escaped(description)
    }
}

extension Output {
    /// One line on standard error: progress and notes that must not mix with the result.
    /// Control characters in it (a program's output, a name from a file) are escaped.
    static func note(_ line: String) {
        raw(TerminalText.escaped(line) + "\n")
    }

    /// Text on standard error as it is, with no newline: a status line redrawn in place.
    static func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
    }
}
