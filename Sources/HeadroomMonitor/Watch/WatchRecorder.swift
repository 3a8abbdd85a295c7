import Synchronization

/// Takes a run's samples and keeps its outputs: the summary's peaks, the CSV
/// timeline and JSON log (written as samples come), and the chart and HTML
/// report (written at the end).
///
/// Open every output file before starting the work, so a path that cannot be
/// written fails at once, not at the end of a long run. Samples may come from
/// any task; the recorder takes them one at a time.
public final class WatchRecorder: Sendable {
    public struct Outputs {
        public var timeline: OutputFile?
        public var json: OutputFile?
        public var chart: OutputFile?
        public var report: OutputFile?

        public init(timeline: OutputFile? = nil, json: OutputFile? = nil, chart: OutputFile? = nil,
                    report: OutputFile? = nil) {
            self.timeline = timeline
            self.json = json
            self.chart = chart
            self.report = report
        }
    }

    private struct State: ~Copyable {
        var outputs: Outputs
        var csv: TimelineCSV?
        var log: SampleLog?
        var builder = SummaryBuilder()
        var chart = MemoryChart()
    }

    private let title: String
    private let state: Mutex<State>

    /// A recorder writing `outputs`; `title` names the run in the chart and report.
    public init(outputs: sending Outputs, title: String) throws(OutputFileError) {
        self.title = title
        let csv = outputs.timeline.map(TimelineCSV.init(file:))
        let log = try outputs.json.map { file throws(OutputFileError) in try SampleLog(file: file) }
        state = Mutex(State(outputs: outputs, csv: csv, log: log))
    }

    /// The summary so far.
    public var summary: WatchSummary { state.withLock { $0.builder.summary } }

    public func record(_ sample: MemorySample) throws(OutputFileError) {
        try state.withLock { (state: inout State) throws(OutputFileError) in
            state.builder.add(sample)
            state.chart.add(sample)
            try state.csv?.append(sample)
            try state.log?.append(sample)
        }
    }

    /// Completes the summary and writes the outputs that are written at the end.
    public func finish(exitStatus: Int32? = nil, signal: Int32? = nil, cpuSeconds: Double? = nil,
                       kernelPeakRSS: ByteCount? = nil) -> (summary: WatchSummary, failures: [OutputFileError]) {
        state.withLock { state in
            var summary = state.builder.finish()
            summary.exitStatus = exitStatus
            summary.signal = signal
            summary.cpuSeconds = cpuSeconds
            if let kernelPeakRSS { summary.include(kernelPeakRSS: kernelPeakRSS) }
            // Each output on its own: one that fails costs its own line, never the summary or the others.
            var failures: [OutputFileError] = []
            func attempt(_ body: () throws(OutputFileError) -> Void) {
                do { try body() } catch { failures.append(error) }
            }
            attempt { () throws(OutputFileError) in try state.log?.finish(summary: summary) }
            let svg = state.chart.svg(title: title)
            if let file = state.outputs.chart {
                attempt { () throws(OutputFileError) in
                    try file.write(svg)
                    try file.flush()
                }
            }
            if let file = state.outputs.report {
                attempt { () throws(OutputFileError) in
                    try file.write(RunReport.html(command: title, summary: summary, chart: svg))
                    try file.flush()
                }
            }
            return (summary, failures)
        }
    }
}
