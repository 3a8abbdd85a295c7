/// Text from outside (a model's tensor names and metadata, a process's name, a
/// program's output, a path) made safe to print on a terminal.
///
/// Control characters (C0 but newline and tab where kept, DEL and C1) are
/// written as escapes, the way `ls` and `git` quote odd names, so an escape
/// sequence in a file cannot retitle or recolour the terminal, and a newline in
/// a name cannot split a one-line error. JSON output needs none of this: its
/// encoder escapes control characters itself.
public enum TerminalText {
    /// `text` with control characters escaped: `\e` for ESC, `\n`, `\r`, `\t`, and `\xNN` for the rest.
    /// - Parameter keepingLines: leave newlines and tabs as they are (multi-line output).
    public static func escaped(_ text: String, keepingLines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0, keepingLines: keepingLines) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard isControl(scalar, keepingLines: keepingLines) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\u{1B}": result += "\\e"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            }
        }
        return result
    }

    static func isControl(_ scalar: Unicode.Scalar, keepingLines: Bool) -> Bool {
        let value = scalar.value
        if keepingLines, value == 0x0A || value == 0x09 { return false }
        return value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value)
    }
}
