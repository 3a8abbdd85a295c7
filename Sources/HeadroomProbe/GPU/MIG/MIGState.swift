/// A GPU's MIG (Multi-Instance GPU) mode and the MIG devices it is split into.
///
/// A job given a MIG device sees that slice, not the GPU: its memory, its own
/// `MIG-…` UUID. `nil` on ``GPUDevice/mig`` means no MIG information: the GPU
/// cannot be split, or the driver's NVML has no MIG functions.
public struct MIGState: Sendable, Hashable, Codable {
    /// Whether MIG is on now.
    public var isEnabled: Bool
    /// Whether MIG will be on after the next GPU reset; differs from ``isEnabled``
    /// while a change waits for the reset.
    public var isPendingEnabled: Bool
    /// How many MIG devices the GPU can hold (`nvmlDeviceGetMaxMigDeviceCount`).
    public var maxDeviceCount: Int?
    /// The MIG devices that exist now, in NVML's index order; empty with MIG off.
    public var devices: [MIGDevice]
    /// MIG fields that could not be read, and why.
    public var issues: [String]

    public init(isEnabled: Bool, isPendingEnabled: Bool, maxDeviceCount: Int? = nil, devices: [MIGDevice] = [], issues: [String] = []) {
        self.isEnabled = isEnabled
        self.isPendingEnabled = isPendingEnabled
        self.maxDeviceCount = maxDeviceCount
        self.devices = devices
        self.issues = issues
    }

    /// Whether a mode change waits for a GPU reset.
    public var isChangePending: Bool { isEnabled != isPendingEnabled }

    enum CodingKeys: String, CodingKey {
        case isEnabled = "enabled", isPendingEnabled = "pendingEnabled", maxDeviceCount, devices, issues
    }
}

/// One MIG device: a GPU instance's compute instance, which CUDA sees as a device of its own.
public struct MIGDevice: Sendable, Hashable, Codable {
    /// Its index among the GPU's MIG devices (`nvmlDeviceGetMigDeviceHandleByIndex`).
    public var index: Int
    /// `MIG-…`, as `nvidia-smi -L` lists it and `CUDA_VISIBLE_DEVICES` takes it.
    public var uuid: String?
    /// As the driver names it: `NVIDIA A100-SXM4-80GB MIG 1g.10gb`.
    public var name: String?
    /// The profile, such as `1g.10gb`: from the name, else only the memory (`10gb`).
    public var profile: String?
    /// The GPU instance ID (`GI` in `nvidia-smi`).
    public var gpuInstanceID: Int?
    /// The compute instance ID (`CI` in `nvidia-smi`).
    public var computeInstanceID: Int?
    /// The slice's memory: what a job on it can have.
    public var memory: GPUMemory?
    /// Fields that could not be read, and why.
    public var issues: [String]

    public init(index: Int, uuid: String? = nil, name: String? = nil, profile: String? = nil, gpuInstanceID: Int? = nil,
                computeInstanceID: Int? = nil, memory: GPUMemory? = nil, issues: [String] = []) {
        self.index = index
        self.uuid = uuid
        self.name = name
        self.profile = profile
        self.gpuInstanceID = gpuInstanceID
        self.computeInstanceID = computeInstanceID
        self.memory = memory
        self.issues = issues
    }

    /// The profile in a MIG device's name (`… MIG 1g.10gb` → `1g.10gb`), else the slice's memory
    /// in whole GiB rounded up (`10gb`), as profiles name it; `nil` with neither.
    public static func profile(name: String?, memory: GPUMemory?) -> String? {
        if let words = name?.split(separator: " "), let mig = words.lastIndex(of: "MIG"), mig + 1 < words.endIndex {
            return String(words[mig + 1])
        }
        guard let total = memory?.total, total > .zero else { return nil }
        let gibibytes = (Double(total.bytes) / Double(1 << 30)).rounded(.up)
        return "\(Int(gibibytes))gb"
    }

    enum CodingKeys: String, CodingKey {
        case index, uuid, name, profile, gpuInstanceID = "gpuInstanceId", computeInstanceID = "computeInstanceId", memory, issues
    }
}
