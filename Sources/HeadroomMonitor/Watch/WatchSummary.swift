/// What a watched run did, from first sample to last.
public struct WatchSummary: Sendable, Hashable, Codable {
    /// A largest value and when it happened (seconds since the start).
    public struct Peak: Sendable, Hashable, Codable {
        public var bytes: ByteCount
        public var time: Double

        enum CodingKeys: String, CodingKey { case bytes, time = "timeSeconds" }
    }

    /// One GPU's peaks: the whole device's use, and the watched tree's own.
    public struct GPUPeak: Sendable, Hashable, Codable {
        public var index: Int
        public var name: String?
        public var total: ByteCount
        public var deviceUsed: Peak
        public var treeUsed: Peak
        /// The most memory on the GPU that could not be attributed to the tree nor ruled
        /// out (processes outside this PID namespace); `nil` where all was accounted for.
        public var unattributed: Peak?
        /// The last word on how the GPU's processes were matched, or why they could not be.
        public var attribution: String?

        enum CodingKeys: String, CodingKey {
            case index, name, total = "totalBytes", deviceUsed, treeUsed, unattributed, attribution
        }
    }

    public var seconds: Double = 0
    public var samples: Int = 0
    /// The tree's largest RSS: sampled, or the kernel's high-water mark where that is higher.
    public var peakTreeRSS: Peak?
    /// The largest RSS any one process reached, as the kernel recorded it: `wait4`'s
    /// `ru_maxrss` over the command and the descendants it waited for, or the root's
    /// `VmHWM` (an attached process). It sees peaks that live between two samples.
    public var kernelPeakRSS: ByteCount?
    /// What sampling saw, where the kernel's high-water mark raised ``peakTreeRSS`` above it.
    public var sampledPeakTreeRSS: ByteCount?
    public var peakTreePSS: Peak?
    /// The most processes the tree had at once.
    public var peakProcesses: Int = 0
    public var gpus: [GPUPeak] = []
    public var containerLimit: ByteCount?
    public var peakContainerUsage: Peak?
    /// OOM kills in the container's cgroup during the run.
    public var containerOOMKills: Int64?
    /// User plus system CPU seconds of the command and the descendants it waited for.
    public var cpuSeconds: Double?
    /// How the command ended, where Headroom started it.
    public var exitStatus: Int32?
    public var signal: Int32?
    public var leak: LeakVerdict?

    public init() {}

    /// Takes a kernel high-water mark (`wait4`'s, or the root's `VmHWM`): the summary's
    /// peak is never below what the kernel recorded. The higher of several is kept.
    public mutating func include(kernelPeakRSS peak: ByteCount) {
        guard peak > (kernelPeakRSS ?? .zero) else { return }
        kernelPeakRSS = peak
        guard peak > (peakTreeRSS?.bytes ?? .zero) else { return }
        sampledPeakTreeRSS = peakTreeRSS?.bytes ?? .zero
        peakTreeRSS = Peak(bytes: peak, time: peakTreeRSS?.time ?? seconds)
    }

    enum CodingKeys: String, CodingKey {
        case seconds, samples, peakTreeRSS, kernelPeakRSS = "kernelPeakRSSBytes", sampledPeakTreeRSS = "sampledPeakTreeRSSBytes"
        case peakTreePSS, peakProcesses, gpus
        case containerLimit = "containerLimitBytes", peakContainerUsage, containerOOMKills, cpuSeconds
        case exitStatus, signal, leak
    }
}

/// Builds a ``WatchSummary`` sample by sample, in constant memory (the leak
/// detector's series is thinned to at most ``seriesLimit`` points).
public struct SummaryBuilder: Sendable {
    public private(set) var summary = WatchSummary()
    private var firstOOMKills: Int64?
    /// The highest `VmHWM` read from the tree's root.
    private var highWaterMark: ByteCount?
    private var series: [(time: Double, bytes: ByteCount)] = []
    private var stride = 1
    static let seriesLimit = 4096

    public init() {}

    public mutating func add(_ sample: MemorySample) {
        summary.samples += 1
        summary.seconds = sample.time
        // Read first: the last sample, taken after the tree is gone, carries an OOM kill that ended it.
        if let kills = sample.containerOOMKills {
            firstOOMKills = firstOOMKills ?? kills
            summary.containerOOMKills = kills - (firstOOMKills ?? kills)
        }
        guard !sample.processes.isEmpty else { return }
        if let peak = sample.processes.compactMap(\.peakRSS).max(), peak > (highWaterMark ?? .zero) { highWaterMark = peak }
        summary.peakProcesses = max(summary.peakProcesses, sample.processes.count)
        raise(&summary.peakTreeRSS, sample.treeRSS, at: sample.time)
        if let pss = sample.treePSS { raise(&summary.peakTreePSS, pss, at: sample.time) }
        if let usage = sample.containerUsage {
            summary.containerLimit = sample.containerLimit
            raise(&summary.peakContainerUsage, usage, at: sample.time)
        }
        for gpu in sample.gpus {
            guard let position = summary.gpus.firstIndex(where: { $0.index == gpu.index }) else {
                summary.gpus.append(WatchSummary.GPUPeak(
                    index: gpu.index, name: gpu.name, total: gpu.total,
                    deviceUsed: .init(bytes: gpu.used, time: sample.time), treeUsed: .init(bytes: gpu.treeUsed, time: sample.time)))
                continue
            }
            var peak: WatchSummary.Peak? = summary.gpus[position].deviceUsed
            raise(&peak, gpu.used, at: sample.time)
            var tree: WatchSummary.Peak? = summary.gpus[position].treeUsed
            raise(&tree, gpu.treeUsed, at: sample.time)
            summary.gpus[position].deviceUsed = peak!
            summary.gpus[position].treeUsed = tree!
        }
        for gpu in sample.gpus where gpu.attribution != nil || gpu.unattributed != nil {
            guard let position = summary.gpus.firstIndex(where: { $0.index == gpu.index }) else { continue }
            if let unattributed = gpu.unattributed { raise(&summary.gpus[position].unattributed, unattributed, at: sample.time) }
            if let note = gpu.attribution { summary.gpus[position].attribution = note }
        }
        if summary.samples % stride == 0 {
            series.append((sample.time, sample.treeRSS))
            if series.count >= SummaryBuilder.seriesLimit {
                series = series.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
                stride *= 2
            }
        }
    }

    /// The summary, with the leak verdict on the tree's RSS.
    public func finish(detector: LeakDetector = LeakDetector()) -> WatchSummary {
        var result = summary
        result.leak = detector.analyze(series)
        if let highWaterMark { result.include(kernelPeakRSS: highWaterMark) }
        return result
    }

    private func raise(_ peak: inout WatchSummary.Peak?, _ bytes: ByteCount, at time: Double) {
        if peak == nil || bytes > peak!.bytes { peak = .init(bytes: bytes, time: time) }
    }
}
