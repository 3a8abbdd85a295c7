import Glibc

/// A fresh directory under /tmp for one test, removed with its files when done.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() {
        var template = Array("/tmp/headroom-cache-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// The names of the files in the directory, less the disk tier's own ledger and journal.
    var files: [String] {
        allFiles.filter { $0 != ".hrc-ledger" && $0 != ".hrc-journal" }
    }

    /// The names of every file in the directory.
    var allFiles: [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    deinit {
        for name in allFiles { unlink(path + "/" + name) }
        rmdir(path)
    }
}

/// Rewrites a file's byte at `offset` with its bits flipped.
func flipByte(in path: String, at offset: Int) {
    let fd = open(path, O_RDWR)
    defer { close(fd) }
    var byte: UInt8 = 0
    _ = pread(fd, &byte, 1, off_t(offset))
    byte ^= 0xFF
    _ = pwrite(fd, &byte, 1, off_t(offset))
}

/// Cuts a file to `length` bytes.
func truncateFile(_ path: String, to length: Int) {
    _ = truncate(path, off_t(length))
}
