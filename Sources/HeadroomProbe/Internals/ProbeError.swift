/// Why a reading could not be made: which file, and what went wrong.
public struct ProbeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        /// The file or directory does not exist.
        case missing
        /// The file exists but could not be read (permissions, I/O).
        case unreadable
        /// The file was read but its contents were not what the kernel writes.
        case malformed
    }

    public var code: Code
    /// The file that was read, as a full path.
    public var path: String
    /// What was wrong, in words.
    public var message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
