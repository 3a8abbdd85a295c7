import SystemPackage

/// A small kernel file (`/proc/<pid>/statm`, a `children` list) kept open and
/// read again from offset 0 each time, so a sample costs one `pread` rather than
/// an open, a read and a close.
///
/// Closed on deinit. A read that fails (the process has exited: `ESRCH`) returns `nil`.
final class ProcFile {
    private let descriptor: FileDescriptor
    private var buffer: [UInt8]

    /// Opens `path`, or returns `nil` where it cannot be opened (the process is gone, or the file does not exist).
    init?(_ path: String, capacity: Int = 256) {
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
    func read<T>(limit: Int = 1 << 20, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
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

extension ProcFile {
    /// A `statm` file's first two fields: pages mapped (0 for a zombie) and resident memory;
    /// `nil` when the read fails (the process is gone).
    func statm() -> (mappedPages: Int64, resident: ByteCount)? {
        guard let pages = read({ $0.decimalNumbers(max: 2) }), pages.count == 2 else { return nil }
        return (pages[0], ByteCount(pages[1] &* SystemPage.size))
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The kB figure after each of `keys` (`"MemTotal:"`) at the start of a line
    /// (`/proc/meminfo`, `smaps_rollup`), in the order of `keys`; `nil` for a key not found.
    func kilobytes(of keys: [String]) -> [Int64?] {
        var found = [Int64?](repeating: nil, count: keys.count)
        var lineStart = 0
        while lineStart < count {
            let lineEnd = self[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? count
            let line = UnsafeBufferPointer(rebasing: self[lineStart..<lineEnd])
            for (position, key) in keys.enumerated() where found[position] == nil {
                let utf8 = key.utf8
                if line.count > utf8.count, line.starts(with: utf8) {
                    found[position] = UnsafeBufferPointer(rebasing: line[utf8.count...]).decimalNumbers(max: 1).first
                }
            }
            if !found.contains(where: { $0 == nil }) { break }
            lineStart = lineEnd + 1
        }
        return found
    }

    /// The unsigned decimal numbers in the bytes, in order (separated by anything else).
    func decimalNumbers(max: Int = .max) -> [Int64] {
        var numbers: [Int64] = []
        var current: Int64 = 0
        var inNumber = false
        for byte in self {
            if byte >= 48 && byte <= 57 {
                current = current &* 10 &+ Int64(byte - 48)
                inNumber = true
            } else if inNumber {
                numbers.append(current)
                if numbers.count == max { return numbers }
                current = 0
                inNumber = false
            }
        }
        if inNumber { numbers.append(current) }
        return numbers
    }
}
