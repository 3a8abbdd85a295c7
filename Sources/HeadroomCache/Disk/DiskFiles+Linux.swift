#if canImport(Glibc)
import Glibc

/// The few POSIX calls the disk tier makes, through Glibc (no Foundation).
enum DiskFiles {
    struct Listed {
        var name: String
        var size: Int
        var modified: Double
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
            guard stat(path + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
            found.append(Listed(name: name, size: Int(info.st_size), modified: modified))
        }
        return found
    }

    /// Writes the parts to a new temporary file, then renames it over `path`, so a
    /// reader sees the old file or the whole new one, never half of one.
    static func writeAtomically(_ path: String, parts: [UnsafeRawBufferPointer]) -> Bool {
        let temporary = path + ".tmp-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        var ok = true
        outer: for part in parts {
            var offset = 0
            while offset < part.count {
                let written = write(fd, part.baseAddress! + offset, part.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { ok = false; break outer }
                offset += written
            }
        }
        ok = close(fd) == 0 && ok
        if ok, rename(temporary, path) == 0 { return true }
        unlink(temporary)
        return false
    }

    /// Maps a whole file read-only and calls `body` with its bytes; nil if it cannot be opened.
    static func withMappedFile<R>(_ path: String, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        if size == 0 { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, size) }
        return body(UnsafeRawBufferPointer(start: base, count: size))
    }

    static func remove(_ path: String) {
        unlink(path)
    }
}
#endif
