#if canImport(Glibc)
import Glibc
#endif

/// A file `headroom serve` was given cannot be used: one line that names it and says why.
public struct ServeSetupError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    /// The whole of a small file (at most 1 MiB) as text.
    /// - Throws: ``ServeSetupError`` naming `what` and `path` with the system's reason.
    static func readFile(_ path: String, what: String) throws(ServeSetupError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ServeSetupError("cannot read the \(what) \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while bytes.count <= 1 << 20 {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 { throw ServeSetupError("cannot read the \(what) \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        guard bytes.count <= 1 << 20 else { throw ServeSetupError("the \(what) \(path) is larger than 1 MiB") }
        return String(decoding: bytes, as: UTF8.self)
    }
}
