import SystemPackage

/// A file written as a run goes: created (or truncated) up front, so an
/// unwritable path fails before an hour of work rather than after, and
/// flushed as it goes, so what was sampled is on disk if the run dies.
public final class OutputFile {
    public let path: String
    private let descriptor: FileDescriptor
    private var pending: [UInt8] = []

    /// Creates or truncates `path`.
    /// - Throws: ``OutputFileError`` naming the path and the system's reason.
    public init(path: String) throws(OutputFileError) {
        self.path = path
        do {
            descriptor = FileDescriptor(rawValue: try OutsidePath.openForWriting(path))
        } catch {
            throw OutputFileError(path: path, reason: error.reason)
        }
    }

    deinit {
        try? flush()
        try? descriptor.close()
    }

    /// Queues `text`; written at the next ``flush()`` or when 64 KiB are waiting.
    public func write(_ text: String) throws(OutputFileError) {
        pending.append(contentsOf: text.utf8)
        if pending.count >= 1 << 16 { try flush() }
    }

    public func flush() throws(OutputFileError) {
        guard !pending.isEmpty else { return }
        do {
            _ = try pending.withUnsafeBytes { try descriptor.writeAll($0) }
        } catch {
            throw OutputFileError(path: path, reason: "\(error)")
        }
        pending.removeAll(keepingCapacity: true)
    }
}

/// An output file that could not be created or written.
public struct OutputFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "cannot write \(path): \(reason)" }
}
