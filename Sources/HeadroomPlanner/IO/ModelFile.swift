#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// A model file opened for reading at offsets, never read whole.
///
/// Reads go through `pread`, so a reader touches only the header bytes it
/// asks for; a 2 GiB file costs a few pages. Tests and fuzz targets can hand
/// bytes in memory instead of a path.
/// The corresponding C function is `pread`.
public final class ModelFile {
    private enum Storage {
        case descriptor(Int32)
        case memory([UInt8])
    }

    private let storage: Storage
    /// The path used in error messages.
    public let path: String
    /// The file's size in bytes.
    public let size: Int64

    /// Opens the regular file at `path`.
    /// - Throws: ``ModelFileError`` with rule `unreadable` when it cannot be opened or is not a regular file.
    public init(path: String) throws(ModelFileError) {
        let opened: (descriptor: Int32, size: Int64)
        do {
            opened = try OutsidePath.openForReading(path)
        } catch {
            throw ModelFileError(.unreadable, path: path, "cannot open: \(error.reason)")
        }
        self.storage = .descriptor(opened.descriptor)
        self.path = path
        self.size = opened.size
    }

    /// A file whose contents are `bytes`, named `path` in errors.
    public init(bytes: [UInt8], path: String = "<memory>") {
        self.storage = .memory(bytes)
        self.path = path
        self.size = Int64(bytes.count)
    }

    deinit {
        if case .descriptor(let fd) = storage { close(fd) }
    }

    /// Exactly `count` bytes at `offset`.
    ///
    /// `count` is checked against the file's size before anything is allocated.
    /// - Throws: `truncated` when the range runs past the end, `unreadable` on an I/O error.
    public func read(at offset: Int64, count: Int) throws(ModelFileError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, Int64(count) <= size - offset else {
            throw ModelFileError(.truncated, path: path, offset: offset,
                                 "needs \(count) bytes but the file is \(size) bytes long")
        }
        switch storage {
        case .memory(let bytes):
            return Array(bytes[Int(offset)..<Int(offset) + count])
        case .descriptor(let fd):
            var result = [UInt8](repeating: 0, count: count)
            var done = 0
            var failure: Int32 = 0
            result.withUnsafeMutableBytes { raw in
                while done < count {
                    let n = pread(fd, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    if n == 0 { return }
                    done += n
                }
            }
            if failure != 0 {
                throw ModelFileError(.unreadable, path: path, offset: offset + Int64(done), String(cString: strerror(failure)))
            }
            guard done == count else {
                throw ModelFileError(.truncated, path: path, offset: offset + Int64(done), "the file ended while being read")
            }
            return result
        }
    }
}
