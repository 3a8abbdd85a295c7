#if os(Linux)
import Synchronization

/// Reads host memory, the memory cgroup and pressure: the one reader behind
/// `diagnose`, `plan`, `watch`, `serve` and scopes.
///
/// The memory cgroup is found once (parsing `mountinfo`), and `/proc/meminfo`
/// is kept open, so a reader made once and read many times (a sampler, the
/// metrics endpoint) costs a few `pread`s a reading.
public final class MachineReader: Sendable {
    /// The directory that stands for `/`.
    public let root: SystemRoot
    /// Whether the memory cgroup and PSI are read.
    public let readsContainer: Bool
    private let hierarchy: CgroupHierarchy?
    // Reads of the kept-open file move its buffer: one at a time.
    private let meminfo: Mutex<KeptOpenFile?>

    /// A reader of the live system (or of `root`).
    /// - Parameter readsContainer: read the memory cgroup and PSI too.
    public init(root: SystemRoot = .live, readsContainer: Bool = true) {
        self.root = root
        self.readsContainer = readsContainer
        hierarchy = readsContainer ? CgroupHierarchy.find(controller: "memory", root: root) : nil
        meminfo = Mutex(KeptOpenFile(root.resolve(HostMemory.meminfoPath), capacity: 4096))
    }

    /// Host memory now, from the kept-open `/proc/meminfo`.
    /// - Throws: ``ProbeError`` when `/proc/meminfo` is missing or lacks `MemTotal`/`MemFree`.
    public func host() throws(ProbeError) -> HostMemory {
        let values = meminfo.withLock { file in file?.read { $0.kilobyteFields(HostMemory.meminfoKeys) } }
        guard let values else { return try HostMemory.read(root: root) }
        return try HostMemory.parse(values, root: root)
    }

    /// Host memory, the cgroup (where ``readsContainer``) and host-wide pressure now.
    /// - Throws: ``ProbeError`` when host memory cannot be read.
    public func memory() throws(ProbeError) -> MachineMemory {
        let host = try host()
        guard readsContainer else { return MachineMemory(host: host, cgroup: nil, pressure: nil) }
        return MachineMemory(host: host, cgroup: hierarchy.map { ContainerMemory.read(hierarchy: $0, root: root) },
                             pressure: MemoryPressure.read(root: root))
    }
}
#endif
