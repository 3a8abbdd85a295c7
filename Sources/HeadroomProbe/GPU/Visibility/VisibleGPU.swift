/// A device a CUDA job will get: a whole GPU, or one MIG device of a GPU.
public struct VisibleGPU: Sendable, Hashable, Codable {
    /// Its number inside the job (`cuda:0`, `device_id=0`): the order `CUDA_VISIBLE_DEVICES` gives.
    public var cudaDevice: Int
    /// The GPU's index as NVML and `nvidia-smi` number it.
    public var gpuIndex: Int
    /// The GPU's UUID (`GPU-…`).
    public var gpuUUID: String?
    /// The GPU's name, or the MIG device's (`NVIDIA A100-SXM4-80GB MIG 1g.10gb`).
    public var name: String?
    /// The MIG device the job gets; `nil` for a whole GPU.
    public var migDevice: MIGDevice?
    /// The memory the job can have: the slice's for a MIG device, else the GPU's.
    public var memory: GPUMemory?
    /// The GPU shares host memory; host RAM is its budget.
    public var isUnifiedMemory: Bool

    public init(cudaDevice: Int, gpuIndex: Int, gpuUUID: String?, name: String?, migDevice: MIGDevice?,
                memory: GPUMemory?, isUnifiedMemory: Bool) {
        self.cudaDevice = cudaDevice
        self.gpuIndex = gpuIndex
        self.gpuUUID = gpuUUID
        self.name = name
        self.migDevice = migDevice
        self.memory = memory
        self.isUnifiedMemory = isUnifiedMemory
    }

    /// A whole GPU, as device `cudaDevice` of the job.
    public init(cudaDevice: Int, gpu: GPUDevice) {
        self.init(cudaDevice: cudaDevice, gpuIndex: gpu.index, gpuUUID: gpu.uuid, name: gpu.name, migDevice: nil,
                  memory: gpu.memory, isUnifiedMemory: gpu.isUnifiedMemory)
    }

    /// MIG device `mig` of `gpu`, as device `cudaDevice` of the job.
    public init(cudaDevice: Int, gpu: GPUDevice, mig: MIGDevice) {
        let profile = mig.profile.map { "\(gpu.name ?? "GPU \(gpu.index)") MIG \($0)" }
        self.init(cudaDevice: cudaDevice, gpuIndex: gpu.index, gpuUUID: gpu.uuid, name: mig.name ?? profile,
                  migDevice: mig, memory: mig.memory, isUnifiedMemory: false)
    }

    /// `GPU0` or `GPU0 MIG 1g.10gb (GI 1, CI 0)`: how text output names it.
    public var label: String {
        guard let mig = migDevice else { return "GPU\(gpuIndex)" }
        var ids: [String] = []
        if let gi = mig.gpuInstanceID { ids.append("GI \(gi)") }
        if let ci = mig.computeInstanceID { ids.append("CI \(ci)") }
        return "GPU\(gpuIndex) MIG \(mig.profile ?? String(mig.index))" + (ids.isEmpty ? "" : " (\(ids.joined(separator: ", ")))")
    }
}

/// The devices a CUDA job started now will get, from the GPUs NVML reports and `CUDA_VISIBLE_DEVICES`.
public struct GPUSelection: Sendable, Hashable, Codable {
    /// `CUDA_VISIBLE_DEVICES` as given; `nil` when it is not set (then every GPU, whole).
    public var variable: String?
    /// The devices in the job's order.
    public var devices: [VisibleGPU]
    /// What a person should know: entries that match nothing, and where CUDA's view differs from the list.
    public var notes: [String]

    public init(variable: String?, devices: [VisibleGPU], notes: [String] = []) {
        self.variable = variable
        self.devices = devices
        self.notes = notes
    }

    /// Whether `CUDA_VISIBLE_DEVICES` is set, so that the job gets only ``devices``.
    public var isRestricted: Bool { variable != nil }

    /// Whether the job gets GPU `index` whole or a MIG device of it.
    public func includes(gpu index: Int) -> Bool { devices.contains { $0.gpuIndex == index } }

    /// Whether the job gets the MIG device with `uuid`.
    public func includes(migDevice uuid: String) -> Bool { devices.contains { $0.migDevice?.uuid == uuid } }

    enum CodingKeys: String, CodingKey {
        case variable = "value", devices, notes
    }
}
