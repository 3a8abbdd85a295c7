/// A disk-tier operation that failed: which path, and why.
public struct DiskTierError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or directory concerned.
    public var path: String
    /// What went wrong, with the system's message where there is one.
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        path.isEmpty ? "disk cache: \(reason)" : "disk cache \(path): \(reason)"
    }
}
