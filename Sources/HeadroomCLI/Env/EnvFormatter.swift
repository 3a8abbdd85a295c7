import HeadroomAdvisor
import HeadroomRun

/// Writes framework settings as shell `export` lines or a dotenv file.
enum EnvFormatter {
    /// `export NAME='value'` lines with `#` comments, safe for `eval` in bash, zsh and sh.
    static func shell(_ settings: FrameworkSettings) -> String {
        lines(settings) { "export \($0.name)=\(shellQuoted($0.value))" }
    }

    /// `NAME=value` lines (double-quoted where needed) for docker `--env-file` and python-dotenv.
    static func dotenv(_ settings: FrameworkSettings) -> String {
        lines(settings) { "\($0.name)=\(dotenvQuoted($0.value))" }
    }

    /// The header, then each variable as a comment line and an assignment written by `assignment`.
    private static func lines(_ settings: FrameworkSettings, _ assignment: (EnvironmentSetting) -> String) -> String {
        var lines = header(settings)
        for variable in settings.variables {
            lines.append("# \(variable.comment)")
            lines.append(assignment(variable))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func header(_ settings: FrameworkSettings) -> [String] {
        var lines = ["# headroom env — settings fitted to this machine"]
        if let index = settings.gpuIndex, let limit = settings.gpuMemoryLimit, let fraction = settings.gpuMemoryFraction {
            lines.append("# GPU \(index): limit \(limit) (\((fraction * 100).fixed(1))% of its memory)")
        }
        lines.append(contentsOf: settings.notes.map { "# \($0)" })
        return lines
    }

    /// Single quotes keep everything literal; a single quote inside becomes `'\''`.
    static func shellQuoted(_ value: String) -> String {
        "'" + value.replacing("'", with: "'\\''") + "'"
    }

    /// Bare where the value has only safe characters, else double-quoted with `\` and `"` escaped.
    static func dotenvQuoted(_ value: String) -> String {
        let safe = value.allSatisfy { $0.isLetter || $0.isNumber || "._-:,/".contains($0) }
        if safe && !value.isEmpty { return value }
        return "\"" + value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}
