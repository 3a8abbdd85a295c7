import Synchronization

/// Samples a process tree's RAM and VRAM with the host, the container and PSI.
///
/// ```swift
/// let sampler = Sampler(pid: child)
/// for await sample in sampler.samples(every: .milliseconds(500)) {
///     print(sample.treeRSS)
/// }
/// ```
///
/// The tree is found again at each sample (processes come and go) through
/// files kept open between samples; GPUs are read through the GPU backend
/// (NVML) and their processes matched to the tree's PIDs.
public final class Sampler: Sendable {
    public struct Options: Sendable {
        /// Read PSS from `smaps_rollup` (the kernel walks every mapping: costlier than RSS).
        public var readsPSS: Bool
        /// Read GPUs at all.
        public var readsGPUs: Bool
        /// Read the container's cgroup and PSI.
        public var readsContainer: Bool

        public init(readsPSS: Bool = false, readsGPUs: Bool = true, readsContainer: Bool = true) {
            self.readsPSS = readsPSS
            self.readsGPUs = readsGPUs
            self.readsContainer = readsContainer
        }
    }

    public let pid: Int32
    private let root: SystemRoot
    private let gpuBackend: any GPUBackend
    private let options: Options
    private let started = ContinuousClock.now
    // The tracker's files are reused between samples; one sample at a time.
    private let tracker: Mutex<TreeTracker>
    /// The memory cgroup, found once.
    private let cgroup: CgroupHierarchy?
    /// `/proc/meminfo`, kept open.
    private let meminfo: Mutex<ProcFile?>

    /// A sampler for process `pid` and its descendants.
    public init(pid: Int32, root: SystemRoot = .live, gpuBackend: any GPUBackend = NVMLBackend(),
                options: Options = Options()) {
        self.pid = pid
        self.root = root
        self.gpuBackend = gpuBackend
        self.options = options
        tracker = Mutex(TreeTracker(rootPID: pid, root: root, readsPSS: options.readsPSS))
        cgroup = options.readsContainer ? CgroupHierarchy.find(controller: "memory", root: root) : nil
        meminfo = Mutex(ProcFile(root.resolve("/proc/meminfo"), capacity: 4096))
    }

    /// Seconds since the sampler was made.
    public var elapsed: Double { (ContinuousClock.now - started).seconds }

    /// A sample now. The tree is empty once the root process has exited.
    public func sample() -> MemorySample {
        let time = elapsed
        let processes = tracker.withLock { $0.sample(now: time) } ?? []
        let host = hostMemory()
        var sample = MemorySample(time: time, hostTotal: host.total, hostAvailable: host.available, processes: processes)
        if options.readsContainer {
            let container = cgroup.map { ContainerMemory.read(hierarchy: $0, root: root) }
            if let container, container.limit != nil {
                sample.containerLimit = container.limit
                sample.containerUsage = container.usage
            }
            sample.containerOOMKills = container?.oomKills
            sample.pressurePercent = (container?.pressure ?? MemoryPressure.read(root: root))?.some.avg10Percent
        }
        if options.readsGPUs {
            sample.gpus = GPUSampling.gpus(gpuBackend.inventory(), tree: &sample.processes)
        }
        return sample
    }

    /// Host total and available memory: `MemTotal` and `MemAvailable` from the
    /// open `/proc/meminfo`, or the full reader (with psutil's estimate) where
    /// `MemAvailable` is missing.
    private func hostMemory() -> (total: ByteCount, available: ByteCount) {
        let fields = meminfo.withLock { file in
            file?.read { bytes -> (Int64, Int64)? in
                let numbers = bytes.kilobytes(of: ["MemTotal:", "MemAvailable:"])
                guard let total = numbers[0], let available = numbers[1], available > 0 else { return nil }
                return (total, available)
            } ?? nil
        }
        if let (total, available) = fields { return (ByteCount(total &* 1024), ByteCount(available &* 1024)) }
        let host = try? HostMemory.read(root: root)
        return (host?.total ?? .zero, host?.available ?? .zero)
    }

    /// Samples every `interval` until the root process exits (that last, empty
    /// sample included) or the consumer stops.
    public func samples(every interval: Duration) -> AsyncStream<MemorySample> {
        AsyncStream { continuation in
            let task = Task {
                let clock = ContinuousClock()
                var next = clock.now
                while !Task.isCancelled {
                    let sample = self.sample()
                    continuation.yield(sample)
                    if sample.processes.isEmpty { break }
                    next = next.advanced(by: interval)
                    try? await clock.sleep(until: next < clock.now ? clock.now : next)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
