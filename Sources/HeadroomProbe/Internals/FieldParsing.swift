/// The byte-level parsers for `/proc` files, shared by one-off reads and kept-open files.
extension UnsafeBufferPointer<UInt8> {
    /// The value after each of `keys` in `Key: value [kB]` lines (`/proc/meminfo`,
    /// `/proc/<pid>/status`, `smaps_rollup`), in the order of `keys`: bytes where the
    /// line says `kB` (KiB, as the kernel writes it), the number as it is otherwise;
    /// `nil` for a key not found. Keys are given without the colon.
    package func kilobyteFields(_ keys: [String]) -> [Int64?] {
        var found = [Int64?](repeating: nil, count: keys.count)
        var remaining = keys.count
        var lineStart = 0
        while lineStart < count, remaining > 0 {
            let lineEnd = self[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? count
            defer { lineStart = lineEnd + 1 }
            guard let colon = self[lineStart..<lineEnd].firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = UnsafeBufferPointer(rebasing: self[lineStart..<colon])
            guard let position = keys.indices.first(where: { found[$0] == nil && name.elementsEqual(keys[$0].utf8) }) else {
                continue
            }
            // The value is the first word, all digits; then `kB` or nothing.
            let words = self[(colon + 1)..<lineEnd].split { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard let first = words.first, first.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  let value = UnsafeBufferPointer(rebasing: first).decimalNumbers(max: 1).first else { continue }
            let isKilobytes = words.count > 1 && words[1].elementsEqual("kB".utf8)
            found[position] = isKilobytes ? value.multipliedSaturating(by: 1024) : value
            remaining -= 1
        }
        return found
    }

    /// The unsigned decimal numbers in the bytes, in order (separated by anything
    /// else); a number past `Int64.max` stays at `Int64.max`.
    package func decimalNumbers(max: Int = .max) -> [Int64] {
        var numbers: [Int64] = []
        var current: Int64 = 0
        var inNumber = false
        for byte in self {
            if byte >= 48 && byte <= 57 {
                current = current.multipliedSaturating(by: 10).addingSaturating(Int64(byte - 48))
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

extension String {
    /// ``Swift/UnsafeBufferPointer/kilobyteFields(_:)`` over the string's UTF-8.
    package func kilobyteFields(_ keys: [String]) -> [Int64?] {
        var text = self
        return text.withUTF8 { $0.kilobyteFields(keys) }
    }
}
