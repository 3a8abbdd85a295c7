/// Everything `headroom diagnose` shows, as one value: the JSON contract.
///
/// Keys: `schemaVersion`, `system`, `cpu`, `host` (with `pressure`),
/// `container` (null outside a limited cgroup), `cgroup` (the memory cgroup,
/// limited or not), `pidNamespace`, `process`, `gpus` (empty without a GPU), `gpuDriver`,
/// `recommendations`, `problems`, `visibleDevices` (the devices a CUDA job
/// gets under `CUDA_VISIBLE_DEVICES`: `value`, absent when unset, `devices`
/// and `notes`); each of `gpus` has `mig` where the GPU reports MIG. Sizes are integers in bytes under keys ending
/// in `Bytes`; percentages end in `Percent`. Fields that could not be read are
/// absent; `gpus[].issues` and `gpuDriver.issues` say why.
public struct DiagnosticReport: Sendable, Codable {
    /// Raised when a key changes meaning or goes away; adding keys keeps it.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var system: SystemIdentity
    public var cpu: CPUInfo
    public var host: HostSection
    public var container: ContainerMemory?
    public var cgroup: ContainerMemory?
    /// Whether headroom sees the host's PIDs (null where it was not looked at); GPU
    /// memory is matched to processes by other means where it does not.
    public var pidNamespace: PIDNamespace?
    public var process: ProcessTreeMemory?
    public var gpus: [GPUDevice]
    public var gpuDriver: GPUDriverSection
    /// The devices a CUDA job started now gets: every GPU whole without
    /// `CUDA_VISIBLE_DEVICES`, else the GPUs and MIG devices it names.
    public var visibleDevices: GPUSelection?
    public var recommendations: Recommendations
    /// Readings that failed, as `path: reason`.
    public var problems: [String]

    /// Host memory with host-wide pressure.
    public struct HostSection: Sendable, Codable {
        public var memory: HostMemory
        public var pressure: MemoryPressure?

        public init(from decoder: any Decoder) throws {
            memory = try HostMemory(from: decoder)
            pressure = try decoder.container(keyedBy: Keys.self).decodeIfPresent(MemoryPressure.self, forKey: .pressure)
        }

        public func encode(to encoder: any Encoder) throws {
            try memory.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(pressure, forKey: .pressure)
        }

        init(memory: HostMemory, pressure: MemoryPressure?) {
            self.memory = memory
            self.pressure = pressure
        }

        enum Keys: String, CodingKey { case pressure }
    }

    /// The GPU backend's state without its devices.
    public struct GPUDriverSection: Sendable, Codable {
        public var backend: String
        public var isAvailable: Bool
        public var library: String?
        public var driverVersion: String?
        public var cudaDriverVersion: String?
        public var issues: [GPUIssue]
    }

    /// The report for `snapshot` with recommendations at `level`.
    public init(snapshot: MemorySnapshot, level: OptimizationLevel, system: SystemIdentity = .current()) {
        schemaVersion = DiagnosticReport.currentSchemaVersion
        self.system = system
        cpu = snapshot.cpu
        host = HostSection(memory: snapshot.host, pressure: snapshot.pressure)
        container = snapshot.container
        cgroup = snapshot.cgroup
        process = snapshot.process
        pidNamespace = snapshot.pidNamespace
        gpus = snapshot.gpus.devices
        let inventory = snapshot.gpus
        gpuDriver = GPUDriverSection(backend: inventory.backend, isAvailable: inventory.isAvailable, library: inventory.library,
                                     driverVersion: inventory.driverVersion, cudaDriverVersion: inventory.cudaDriverVersion,
                                     issues: inventory.issues)
        visibleDevices = inventory.selection
        recommendations = Advisor(level: level).recommend(for: snapshot)
        problems = snapshot.problems.map(\.description)
    }

    /// The lower of host and container memory, and which one it is (the text's "effective" line).
    public var effective: EffectiveMemory {
        MachineMemory(host: host.memory, cgroup: cgroup, pressure: host.pressure).effective
    }

    /// The environment variables for every framework at the report's level (the text's "recommended settings").
    public var settings: FrameworkSettings {
        Advisor(level: recommendations.level).frameworkSettings(Set(Framework.allCases), from: recommendations)
    }

    /// Encodes every top-level key, writing `null` for `container` and others that are absent.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(system, forKey: .system)
        try c.encode(cpu, forKey: .cpu)
        try c.encode(host, forKey: .host)
        try c.encode(container, forKey: .container)
        try c.encode(cgroup, forKey: .cgroup)
        try c.encode(pidNamespace, forKey: .pidNamespace)
        try c.encode(process, forKey: .process)
        try c.encode(gpus, forKey: .gpus)
        try c.encode(gpuDriver, forKey: .gpuDriver)
        try c.encode(recommendations, forKey: .recommendations)
        try c.encode(problems, forKey: .problems)
        try c.encode(visibleDevices, forKey: .visibleDevices)
    }
}
