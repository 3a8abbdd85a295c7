#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// The root directory the readers look under: `/` on a live system, a fixture
/// tree of `/proc` and `/sys` in tests.
public struct SystemRoot: Sendable, Hashable {
    /// The directory that stands for `/`.
    public var path: String

    /// A root at `path` (default `/`).
    public init(_ path: String = "/") {
        self.path = path
    }

    public static let live = SystemRoot()

    /// The full path of `absolute` (which starts with `/`) under this root.
    public func resolve(_ absolute: String) -> String {
        if path == "/" || path.isEmpty { return absolute }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        return absolute.hasPrefix("/") ? base + absolute : base + "/" + absolute
    }

    /// The text of a small file such as `/proc/meminfo`, read in one pass.
    ///
    /// Files under `/proc` and `/sys` report a size of zero, so this reads
    /// until end of file, up to `limit` bytes; what is past the limit is not read.
    /// - Throws: ``ProbeError`` naming the path.
    public func read(_ absolute: String, limit: Int = 1 << 20) throws(ProbeError) -> String {
        let full = resolve(absolute)
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(FilePath(full), .readOnly, options: [.closeOnExec])
        } catch {
            let errno = error as? Errno
            throw ProbeError(errno == .noSuchFileOrDirectory || errno == .notDirectory ? .missing : .unreadable,
                             path: full, "cannot open: \(error)")
        }
        defer { try? descriptor.close() }
        var bytes: [UInt8] = []
        var chunk = 4096
        do {
            while bytes.count < limit {
                let want = min(chunk, limit - bytes.count)
                let got = try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: want) { buffer -> Int in
                    let n = try descriptor.read(into: UnsafeMutableRawBufferPointer(buffer))
                    bytes.append(contentsOf: buffer.prefix(n))
                    return n
                }
                if got == 0 { break }
                chunk = min(chunk * 2, 1 << 16)
            }
        } catch {
            throw ProbeError(.unreadable, path: full, "cannot read: \(error)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text of a file, or `nil` where it is missing or unreadable.
    public func readIfPresent(_ absolute: String, limit: Int = 1 << 20) -> String? {
        try? read(absolute, limit: limit)
    }

    /// Whether `absolute` exists under this root.
    public func exists(_ absolute: String) -> Bool {
        access(resolve(absolute), F_OK) == 0
    }

    /// The target of the symbolic link `absolute` (such as `/proc/42/fd/3`), as the link
    /// holds it; `nil` where it is not a link, is gone or cannot be read.
    public func readLink(_ absolute: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBufferPointer { readlink(resolve(absolute), $0.baseAddress!, $0.count - 1) }
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The names in a directory, without `.` and `..`; empty where it cannot be listed.
    public func list(_ absolute: String) -> [String] {
        guard let dir = opendir(resolve(absolute)) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
