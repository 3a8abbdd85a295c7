/// Parsers for the line formats of `/proc` and `/sys` files.
enum TextParsing {
    /// `key value` lines (cgroup memory.stat, memory.events) as integers.
    static func spaceFields(_ text: String) -> [String: Int64] {
        var fields: [String: Int64] = [:]
        for line in text.lines {
            let parts = line.words
            guard parts.count == 2, let value = Int64(parts[1]) else { continue }
            fields[String(parts[0])] = value
        }
        return fields
    }

    /// A CPU list such as `0-3,8,10-11` as the number of CPUs it names; `nil` if malformed.
    static func cpuListCount(_ text: String) -> Int? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return 0 }
        var count = 0
        for part in trimmed.split(ascii: ",") {
            let bounds = part.split(ascii: "-")
            if bounds.count == 1, Int(bounds[0]) != nil {
                count += 1
            } else if bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), high >= low, high - low < 1 << 20 {
                count += high - low + 1
            } else {
                return nil
            }
        }
        return count
    }
}
