/// Takes ``MemorySnapshot``s: the one entry point that reads everything.
public struct SystemProbe: Sendable {
    /// The directory that stands for `/`.
    public var root: SystemRoot
    /// Where GPU readings come from.
    public var gpuBackend: any GPUBackend

    /// A probe of the live system (or of `root`) with NVML as the GPU backend.
    public init(root: SystemRoot = .live, gpuBackend: any GPUBackend = NVMLBackend()) {
        self.root = root
        self.gpuBackend = gpuBackend
    }

    /// Reads host, cgroup, pressure, CPUs, the tree of process `pid` (default: this one) and the GPUs.
    ///
    /// Only a missing `/proc/meminfo` is fatal; every other failed reading is
    /// left out of the snapshot and listed in ``MemorySnapshot/problems``.
    /// - Parameter includePSS: read PSS for each process (it walks every mapping).
    /// - Throws: ``ProbeError`` when host memory cannot be read.
    public func snapshot(pid: Int32? = nil, includePSS: Bool = true) throws(ProbeError) -> MemorySnapshot {
        #if os(Linux)
        let memory = try MachineReader(root: root).memory()
        var problems: [ProbeError] = []
        let targetPID = pid ?? (root.path == "/" ? ProcessMemory.currentPID : 1)
        var process: ProcessTreeMemory?
        do {
            process = try ProcessTreeMemory.read(pid: targetPID, includePSS: includePSS, root: root)
        } catch {
            problems.append(error)
        }
        var gpus = gpuBackend.inventory()
        let namespace = PIDNamespace.detect(root: root)
        if var tree = process {
            tree.attribute(&gpus.devices, with: GPUAttributor(namespace: namespace, root: root), root: root)
            process = tree
        }
        var snapshot = MemorySnapshot(
            host: memory.host, cgroup: memory.cgroup, pressure: memory.pressure,
            cpu: CPUInfo.read(root: root), process: process, gpus: gpus, problems: problems)
        snapshot.pidNamespace = namespace
        return snapshot
        #else
        throw ProbeError(.missing, path: "/proc", "memory probes are implemented for Linux only")
        #endif
    }
}
