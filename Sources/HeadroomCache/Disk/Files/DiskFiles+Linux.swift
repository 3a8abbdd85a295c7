#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls the disk tier makes on paths, through the C library (no Foundation).
enum DiskFiles {
    struct Listed {
        var name: String
        var size: Int
        /// The modification time, nanoseconds since the epoch.
        var modified: Int64
    }

    /// Which file a descriptor or path refers to: the same pair means the same file.
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }

    /// Creates a directory and its parents.
    static func makeDirectory(_ path: String) throws {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, 0o755) != 0, errno != EEXIST {
                throw DiskTierError(path: built, reason: "cannot create the directory: \(errorText())")
            }
        }
    }

    /// The regular files in a directory, with size and modification time.
    static func list(_ path: String) throws -> [Listed] {
        guard let dir = opendir(path) else {
            throw DiskTierError(path: path, reason: "cannot read the directory: \(errorText())")
        }
        defer { closedir(dir) }
        var found: [Listed] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard lstat(path + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            found.append(Listed(name: name, size: Int(info.st_size), modified: nanoseconds(info.st_mtim)))
        }
        return found
    }

    /// The size, modification time and identity of the file at `path`; nil if there is none.
    static func status(_ path: String) -> (size: Int, modified: Int64, identity: Identity)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (Int(info.st_size), nanoseconds(info.st_mtim), identity(info))
    }

    /// Writes the parts to a new file at `temporary` (which must not exist) and
    /// stamps it with `modified`; the file is removed if any write fails.
    static func writeNew(_ temporary: String, parts: [UnsafeRawBufferPointer], modified: timespec) -> Bool {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        var ok = true
        for part in parts where !writeAll(fd, part, at: nil) {
            ok = false
            break
        }
        ok = ok && setModified(fd, modified)
        ok = close(fd) == 0 && ok
        if !ok { unlink(temporary) }
        return ok
    }

    /// Maps a whole file read-only and calls `body` with its bytes, its
    /// descriptor and identity; nil if it cannot be opened.
    static func withMappedFile<R>(_ path: String, _ body: (UnsafeRawBufferPointer, Int32, Identity) -> R) -> R? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        if size == 0 { return body(UnsafeRawBufferPointer(start: nil, count: 0), fd, identity(info)) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, size) }
        return body(UnsafeRawBufferPointer(start: base, count: size), fd, identity(info))
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    static func identity(_ info: stat) -> Identity {
        Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
