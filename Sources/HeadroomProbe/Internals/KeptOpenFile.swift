import SystemPackage

/// A small kernel file (`/proc/meminfo`, `/proc/<pid>/statm`, a `children`
/// list) kept open and read again from offset 0 each time, so a reading costs
/// one `pread` rather than an open, a read and a close.
///
/// Closed on deinit. A read that fails (the process has exited: `ESRCH`) returns `nil`.
/// Not thread-safe: its owner reads it under its own lock.
package final class KeptOpenFile {
    private let descriptor: FileDescriptor
    private var buffer: [UInt8]

    /// Opens `path`, or returns `nil` where it cannot be opened (the process is gone, or the file does not exist).
    package init?(_ path: String, capacity: Int = 256) {
        guard let descriptor = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]) else {
            return nil
        }
        self.descriptor = descriptor
        buffer = [UInt8](repeating: 0, count: capacity)
    }

    deinit {
        try? descriptor.close()
    }

    /// The file's bytes now, passed to `body`; `nil` when the read fails. The
    /// buffer doubles (up to `limit`) until the file fits.
    package func read<T>(limit: Int = 1 << 20, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        while true {
            let count: Int? = buffer.withUnsafeMutableBytes { raw in
                try? descriptor.read(fromAbsoluteOffset: 0, into: raw)
            }
            guard let count else { return nil }
            if count < buffer.count || buffer.count >= limit {
                return buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[..<count])) }
            }
            buffer = [UInt8](repeating: 0, count: min(buffer.count * 2, limit))
        }
    }
}

extension KeptOpenFile {
    /// A `statm` file's first two fields: pages mapped (0 for a zombie) and resident memory;
    /// `nil` when the read fails (the process is gone).
    package func statm() -> (mappedPages: Int64, resident: ByteCount)? {
        guard let pages = read({ $0.decimalNumbers(max: 2) }), pages.count == 2 else { return nil }
        return (pages[0], ByteCount(pages[1].multipliedSaturating(by: SystemPage.size)))
    }
}
