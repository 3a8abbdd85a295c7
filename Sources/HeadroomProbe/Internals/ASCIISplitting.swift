// Splitting by byte rather than by Character: the /proc and /sys formats are
// ASCII, and comparing UTF-8 bytes skips grapheme breaking, which made parsing
// (not reading) most of the cost of a snapshot.

extension Substring {
    /// The pieces between bytes matching `isSeparator`, as the standard `split` makes them.
    func split(maxSplits: Int = .max, omittingEmptySubsequences: Bool = true,
               whereByte isSeparator: (UInt8) -> Bool) -> [Substring] {
        var pieces: [Substring] = []
        var start = startIndex
        var splits = 0
        var index = utf8.startIndex
        while index != utf8.endIndex {
            if splits < maxSplits, isSeparator(utf8[index]) {
                if !omittingEmptySubsequences || start != index {
                    pieces.append(self[start..<index])
                }
                splits += 1
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if !omittingEmptySubsequences || start != endIndex {
            pieces.append(self[start..<endIndex])
        }
        return pieces
    }

    /// The pieces between occurrences of the ASCII character `separator`.
    func split(ascii separator: Unicode.Scalar, maxSplits: Int = .max, omittingEmptySubsequences: Bool = true) -> [Substring] {
        let byte = UInt8(ascii: separator)
        return split(maxSplits: maxSplits, omittingEmptySubsequences: omittingEmptySubsequences) { $0 == byte }
    }

    /// The words between runs of spaces and tabs.
    var words: [Substring] {
        split { $0 == 0x20 || $0 == 0x09 }
    }

    /// The lines, without empty ones.
    var lines: [Substring] { split(ascii: "\n") }
}

extension String {
    func split(ascii separator: Unicode.Scalar, maxSplits: Int = .max, omittingEmptySubsequences: Bool = true) -> [Substring] {
        self[...].split(ascii: separator, maxSplits: maxSplits, omittingEmptySubsequences: omittingEmptySubsequences)
    }

    var words: [Substring] { self[...].words }
    var lines: [Substring] { self[...].lines }
}
