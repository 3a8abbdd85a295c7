import Foundation
import HeadroomProbe

/// A throwaway directory laid out like `/`, holding fixture `/proc` and `/sys`
/// files, for readers that take a ``SystemRoot``.
///
/// ```swift
/// let tree = try FakeSystemTree(files: [
///     "/proc/meminfo": "MemTotal: 16384 kB\nMemFree: 8192 kB\n",
/// ])
/// let host = try HostMemory.read(root: tree.root)
/// ```
public final class FakeSystemTree: Sendable {
    /// The directory standing for `/`.
    public let path: String

    /// The tree as a root for the readers.
    public var root: SystemRoot { SystemRoot(path) }

    /// Makes a new tree in a fresh temporary directory with `files` (absolute path → contents).
    public init(files: [String: String] = [:]) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-tree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
        for (file, contents) in files {
            try write(file, contents)
        }
    }

    /// Writes `contents` to `file` (an absolute path inside the tree), making directories as needed.
    public func write(_ file: String, _ contents: String) throws {
        let url = URL(fileURLWithPath: root.resolve(file))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    /// Makes an empty directory inside the tree.
    public func makeDirectory(_ directory: String) throws {
        try FileManager.default.createDirectory(atPath: root.resolve(directory), withIntermediateDirectories: true)
    }

    /// Makes `file` (an absolute path inside the tree) a symbolic link holding `target`
    /// as it is, as `/proc/<pid>/fd/<n>` holds `/dev/nvidia0`; the target need not exist.
    public func link(_ file: String, to target: String) throws {
        let url = URL(fileURLWithPath: root.resolve(file))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    /// Removes `file` or a directory and all it holds, as a process that exits leaves `/proc`.
    public func remove(_ file: String) throws {
        try FileManager.default.removeItem(atPath: root.resolve(file))
    }

    /// Makes `file` unreadable (mode 000). Root can still read it, so tests that
    /// need a read to fail should use a directory in the file's place instead.
    public func makeUnreadable(_ file: String) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: root.resolve(file))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
