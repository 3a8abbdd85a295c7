#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path that came from outside (a flag, a model's index, the environment),
/// opened so that it can never block: a FIFO, a device or a socket is refused
/// with its kind named, instead of an `open` or a `dlopen` that waits forever.
///
/// The one safe open for every path a user or a file gives: model files and
/// shards, ONNX external data, `config.json`, the NVML library path, and
/// `watch`'s outputs.
public enum OutsidePath {
    /// Opens `path` for reading when it is a regular file.
    ///
    /// The open itself does not block (`O_NONBLOCK`, which regular files ignore),
    /// and the file's kind is checked on the open descriptor, so nothing can swap it.
    /// - Returns: the descriptor and the file's size.
    /// - Throws: ``OutsidePathError`` naming the path and what it is instead.
    public static func openForReading(_ path: String) throws(OutsidePathError) -> (descriptor: Int32, size: Int64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw OutsidePathError(path: path, errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = OutsidePathError(path: path, errno: errno)
            close(fd)
            throw error
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw OutsidePathError(path: path, reason: "\(kind(info.st_mode)), not a regular file")
        }
        return (fd, Int64(info.st_size))
    }

    /// Creates or truncates `path` for writing without blocking: a FIFO nobody
    /// reads fails at once (the caller's output has nowhere to go) rather than waiting.
    /// - Throws: ``OutsidePathError`` naming the path and the system's reason.
    public static func openForWriting(_ path: String) throws(OutsidePathError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0o644)
        guard fd >= 0 else {
            if errno == ENXIO { throw OutsidePathError(path: path, reason: "a FIFO that no process is reading") }
            throw OutsidePathError(path: path, errno: errno)
        }
        // Writes block as usual from here on: a reader that is slow slows the writer, not the reverse.
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return fd
    }

    /// Checks that `path`, where it names a file (it has a `/`), is a regular file,
    /// before something that cannot be given a descriptor (`dlopen`) opens it.
    /// - Throws: ``OutsidePathError`` for a FIFO, a device, a directory, a loop of links or a missing file.
    public static func checkRegularFile(_ path: String) throws(OutsidePathError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw OutsidePathError(path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw OutsidePathError(path: path, reason: "\(kind(info.st_mode)), not a regular file")
        }
    }

    /// What a file is, in words: `a directory`, `a FIFO`.
    public static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file"
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFLNK: "a symbolic link"
        default: "not a file"
        }
    }
}

/// A path from outside that could not be opened, and why.
public struct OutsidePathError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The system's reason for `errno`, in words a person acts on (`ELOOP` names the loop).
    public init(path: String, errno code: Int32) {
        let reason = switch code {
        case ENOENT: "no such file or directory"
        case ELOOP: "too many levels of symbolic links (a loop of links?)"
        case EACCES: "permission denied"
        case ENOTDIR: "a component of the path is not a directory"
        case EISDIR: "a directory"
        default: String(cString: strerror(code))
        }
        self.init(path: path, reason: reason)
    }

    public var description: String { "\(path): \(reason)" }
}
