import FoundationEssentials

/// `--json run.json`: every sample and, at the end, the summary, as one JSON
/// object `{"samples": [...], "summary": {...}}`. Samples are written as they
/// come, so a run that dies leaves every sample on disk (the object is then
/// unterminated; ``finish(summary:)`` closes it).
public final class SampleLog {
    private let file: OutputFile
    private var count = 0
    private let encoder: JSONEncoder

    public init(file: OutputFile) throws(OutputFileError) {
        self.file = file
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try file.write("{\"samples\": [\n")
    }

    public func append(_ sample: MemorySample) throws(OutputFileError) {
        let text: String
        do {
            text = String(decoding: try encoder.encode(sample), as: UTF8.self)
        } catch {
            throw OutputFileError(path: file.path, reason: "cannot encode a sample: \(error)")
        }
        try file.write((count == 0 ? "" : ",\n") + text)
        count += 1
        try file.flush()
    }

    public func finish(summary: WatchSummary) throws(OutputFileError) {
        let text: String
        do {
            text = String(decoding: try encoder.encode(summary), as: UTF8.self)
        } catch {
            throw OutputFileError(path: file.path, reason: "cannot encode the summary: \(error)")
        }
        try file.write("\n],\n\"summary\": " + text + "}\n")
        try file.flush()
    }
}
