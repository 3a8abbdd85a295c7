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
/// The probe's readers do the reading, through files kept open between
/// samples: the tree is found again at each sample (processes come and go);
/// host memory, the cgroup and PSI come from one ``MachineReader``; GPUs are
/// read through the GPU backend (NVML) and their processes matched to the tree,
/// through device files where this runs in a PID namespace of its own (``GPUAttributor``).
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
    private let gpuBackend: any GPUBackend
    private let options: Options
    private let started = ContinuousClock.now
    // The reader's files are reused between samples; one sample at a time.
    private let tree: Mutex<ProcessTreeReader>
    /// Host memory, the cgroup and PSI, through files kept open.
    private let machine: MachineReader
    /// Matches NVML's host PIDs to the tree, in this PID namespace (found once).
    private let attributor: GPUAttributor

    /// A sampler for process `pid` and its descendants.
    public init(pid: Int32, root: SystemRoot = .live, gpuBackend: any GPUBackend = NVMLBackend(),
                options: Options = Options()) {
        self.pid = pid
        self.gpuBackend = gpuBackend
        self.options = options
        tree = Mutex(ProcessTreeReader(rootPID: pid, root: root, readsPSS: options.readsPSS))
        machine = MachineReader(root: root, readsContainer: options.readsContainer)
        attributor = GPUAttributor(namespace: options.readsGPUs ? PIDNamespace.detect(root: root)
                                       : PIDNamespace(isHost: true, evidence: "not looked at"), root: root)
    }

    /// The PID namespace the sampler matches GPU processes in.
    public var pidNamespace: PIDNamespace { attributor.namespace }

    /// Seconds since the sampler was made.
    public var elapsed: Double { (ContinuousClock.now - started).seconds }

    /// A sample now. The tree is empty once the root process has exited.
    public func sample() -> MemorySample {
        let time = elapsed
        let processes = tree.withLock { $0.read(now: time) } ?? []
        let memory = try? machine.memory()
        var sample = MemorySample(time: time, hostTotal: memory?.host.total ?? .zero,
                                  hostAvailable: memory?.host.available ?? .zero, processes: processes)
        if let memory, options.readsContainer {
            if let container = memory.container {
                sample.containerLimit = container.limit
                sample.containerUsage = container.usage
            }
            sample.containerOOMKills = memory.cgroup?.oomKills
            sample.pressurePercent = (memory.cgroup?.pressure ?? memory.pressure)?.some.avg10Percent
        }
        if options.readsGPUs {
            sample.gpus = GPUSampling.gpus(gpuBackend.inventory(), tree: &sample.processes, attributor: attributor)
        }
        return sample
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
