/// Splits a program's output into lines as it arrives, in bounded memory.
///
/// `\n` and `\r` both end a line (progress bars redraw with `\r`); a line
/// longer than ``maximumLineLength`` bytes is cut there and the rest of it
/// dropped, so a program that never prints a newline cannot grow the buffer.
struct OutputLines {
    static let maximumLineLength = 4096
    private var partial: [UInt8] = []
    private var isTruncating = false

    /// Feeds `bytes`, calling `line` for each line they complete.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, line: (String) -> Void) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if !partial.isEmpty { line(String(decoding: partial, as: UTF8.self)) }
                partial.removeAll(keepingCapacity: true)
                isTruncating = false
            } else if !isTruncating {
                partial.append(byte)
                if partial.count >= OutputLines.maximumLineLength { isTruncating = true }
            }
        }
    }

    /// The unfinished last line, at the end of the output.
    mutating func finish(line: (String) -> Void) {
        if !partial.isEmpty { line(String(decoding: partial, as: UTF8.self)) }
        partial.removeAll()
    }
}

/// The last lines of a program's output.
struct LineTail {
    let capacity: Int
    private(set) var lines: [String] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    mutating func append(_ line: String) {
        if lines.count == capacity { lines.removeFirst() }
        lines.append(line)
    }
}
