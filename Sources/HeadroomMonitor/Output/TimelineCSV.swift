/// `--timeline run.csv`: one row per sample, written as the run goes.
///
/// Columns: `time_s`, `memory_used_bytes`, `memory_limit_bytes`,
/// `host_available_bytes`, `container_usage_bytes`, `pressure_percent`,
/// `processes`, `tree_rss_bytes`, `tree_pss_bytes`, then for each GPU
/// `gpuN_used_bytes`, `gpuN_total_bytes`, `gpuN_tree_bytes`. A figure that
/// was not read is an empty cell.
public final class TimelineCSV {
    private let file: OutputFile
    private var gpuIndices: [Int]?

    public init(file: OutputFile) {
        self.file = file
    }

    public func append(_ sample: MemorySample) throws(OutputFileError) {
        if gpuIndices == nil {
            let indices = sample.gpus.map(\.index)
            gpuIndices = indices
            let gpuColumns = indices.flatMap { ["gpu\($0)_used_bytes", "gpu\($0)_total_bytes", "gpu\($0)_tree_bytes"] }
            let header = ["time_s", "memory_used_bytes", "memory_limit_bytes", "host_available_bytes",
                          "container_usage_bytes", "pressure_percent", "processes", "tree_rss_bytes",
                          "tree_pss_bytes"] + gpuColumns
            try file.write(header.joined(separator: ",") + "\n")
        }
        var cells = [sample.time.fixed(3), "\(sample.memoryUsed.bytes)", "\(sample.memoryLimit.bytes)",
                     "\(sample.hostAvailable.bytes)", sample.containerUsage.map { "\($0.bytes)" } ?? "",
                     sample.pressurePercent.map { $0.fixed(2) } ?? "", "\(sample.processes.count)",
                     "\(sample.treeRSS.bytes)", sample.treePSS.map { "\($0.bytes)" } ?? ""]
        for index in gpuIndices ?? [] {
            if let gpu = sample.gpus.first(where: { $0.index == index }) {
                cells += ["\(gpu.used.bytes)", "\(gpu.total.bytes)", "\(gpu.treeUsed.bytes)"]
            } else {
                cells += ["", "", ""]
            }
        }
        try file.write(cells.joined(separator: ",") + "\n")
        try file.flush()
    }
}
