/// Memory of one GPU, with memory the driver reserves reported apart.
public struct GPUMemory: Sendable, Hashable, Codable {
    /// Memory on the board, reserved memory included (what `nvidia-smi` calls total).
    public var total: ByteCount
    /// Memory the driver and firmware hold back (ECC, page retirement, system use);
    /// `nil` where only the older query was available, and then ``used`` includes it.
    public var reserved: ByteCount?
    /// Memory allocated by processes and contexts.
    public var used: ByteCount
    /// Memory free for new allocations.
    public var free: ByteCount

    public init(total: ByteCount, reserved: ByteCount?, used: ByteCount, free: ByteCount) {
        self.total = total
        self.reserved = reserved
        self.used = used
        self.free = free
    }

    enum CodingKeys: String, CodingKey {
        case total = "totalBytes", reserved = "reservedBytes", used = "usedBytes", free = "freeBytes"
    }
}

/// How busy a GPU was over the driver's last sample period.
public struct GPUUtilization: Sendable, Hashable, Codable {
    /// Share of time a kernel ran.
    public var gpuPercent: Int
    /// Share of time device memory was read or written.
    public var memoryPercent: Int

    public init(gpuPercent: Int, memoryPercent: Int) {
        self.gpuPercent = gpuPercent
        self.memoryPercent = memoryPercent
    }
}

/// A process holding memory on a GPU.
public struct GPUProcess: Sendable, Hashable, Codable, CarriesWorkload {
    public enum Kind: String, Sendable, Codable { case compute, graphics }
    public var pid: Int32
    /// Device memory the process holds; `nil` where the driver does not say
    /// (no permission, or inside some containers).
    public var usedMemory: ByteCount?
    public var kind: Kind
    /// The process of the examined tree this entry was matched to, by its PID in
    /// this namespace (``GPUAttributor``); `nil` where it matched none.
    public var matchedPID: Int32?
    /// The Kubernetes pod's UID, from the process's cgroup path (``GPUAttributor/identifyWorkloads(_:)``).
    public var podUID: String?
    /// The container's ID, from the process's cgroup path.
    public var containerID: String?
    /// The Slurm job's ID, from the process's cgroup path.
    public var slurmJob: String?

    public init(pid: Int32, usedMemory: ByteCount?, kind: Kind) {
        self.pid = pid
        self.usedMemory = usedMemory
        self.kind = kind
    }

    enum CodingKeys: String, CodingKey {
        case pid, usedMemory = "usedMemoryBytes", kind, matchedPID, podUID, containerID, slurmJob
    }
}

/// A field that could not be read, and why, in the driver's words.
public struct GPUIssue: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// What was asked for; its raw value is the name in the diagnose JSON.
    public enum Field: String, Sendable, Hashable, Codable, CaseIterable {
        case library, initialize, deviceCount, device, name, uuid, memory, utilization, temperature
        case power, powerLimit, ecc, processes, computeProcesses, graphicsProcesses
    }

    /// What was asked for.
    public var field: Field
    /// Why it is missing, with the driver's `nvmlErrorString` where there is one.
    public var reason: String

    public init(field: Field, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field.rawValue): \(reason)" }
}

/// One GPU as the driver reports it. Fields the driver could not give are `nil`,
/// each with an entry in ``issues`` saying why.
public struct GPUDevice: Sendable, Hashable, Codable {
    public var index: Int
    public var name: String?
    public var uuid: String?
    /// The PCI bus ID as NVML and DCGM spell it, `00000000:3B:00.0`.
    public var pciBusID: String?
    public var memory: GPUMemory?
    /// The GPU shares the host's memory (Grace Hopper, Jetson, GB10): the
    /// driver reports no device memory, and host memory is the budget.
    public var isUnifiedMemory: Bool
    public var utilization: GPUUtilization?
    public var temperatureCelsius: Int?
    public var powerWatts: Double?
    public var powerLimitWatts: Double?
    /// Whether ECC is on; ECC costs a share of memory, reported as reserved.
    public var eccEnabled: Bool?
    /// Processes holding memory on this GPU; `nil` where the list could not be read.
    public var processes: [GPUProcess]?
    /// MIG mode and the MIG devices; `nil` where there is no MIG information
    /// (a GPU that cannot be split, or a driver without MIG functions).
    public var mig: MIGState?
    public var issues: [GPUIssue]
    /// The `N` of the GPU's `/dev/nvidiaN`, which matches processes by the device files
    /// they hold. The corresponding NVML function is `nvmlDeviceGetMinorNumber`.
    public var minorNumber: Int?
    /// Memory NVML's process list shows on this GPU that could not be attributed to
    /// the tree or ruled out: held by processes outside this PID namespace.
    public var unattributed: ByteCount?
    /// How the GPU's processes were matched where PIDs could not do it, or why
    /// they could not be (``GPUAttributor``); `nil` where PIDs matched as they are.
    public var attribution: String?

    public init(index: Int) {
        self.index = index
        self.isUnifiedMemory = false
        self.issues = []
    }

    enum CodingKeys: String, CodingKey {
        case index, name, uuid, memory, isUnifiedMemory, utilization, temperatureCelsius, powerWatts, powerLimitWatts
        case eccEnabled, processes, issues, minorNumber, unattributed = "unattributedBytes", attribution, pciBusID, mig
    }
}

/// Every GPU one backend found, with the driver's versions, or why there are none.
public struct GPUInventory: Sendable, Hashable, Codable {
    /// Which backend read it (`nvml`).
    public var backend: String
    /// Whether the backend's library loaded and initialized.
    public var isAvailable: Bool
    /// The library that was loaded, or that was tried.
    public var library: String?
    public var driverVersion: String?
    /// The CUDA version the driver supports, such as `12.4`.
    public var cudaDriverVersion: String?
    public var devices: [GPUDevice]
    /// Problems that are not about one device: a missing library, a failed initialization.
    public var issues: [GPUIssue]
    /// `CUDA_VISIBLE_DEVICES` as it was when the inventory was read; `nil` when unset.
    /// ``selection`` applies it to ``devices``.
    public var cudaVisibleDevices: String?

    public init(backend: String, isAvailable: Bool, library: String? = nil, devices: [GPUDevice] = [], issues: [GPUIssue] = []) {
        self.backend = backend
        self.isAvailable = isAvailable
        self.library = library
        self.devices = devices
        self.issues = issues
    }
}

/// A source of GPU readings: NVML on NVIDIA hosts, or a scripted fake in tests.
public protocol GPUBackend: Sendable {
    /// Every device with its memory, utilization and processes, degrading
    /// field by field rather than failing.
    func inventory() -> GPUInventory
}
