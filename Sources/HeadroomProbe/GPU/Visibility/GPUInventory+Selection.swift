extension GPUInventory {
    /// The devices a CUDA job started now gets, from ``cudaVisibleDevices``.
    public var selection: GPUSelection { selection(cudaVisibleDevices: cudaVisibleDevices) }

    /// The devices a CUDA job gets with `CUDA_VISIBLE_DEVICES` set to `value` (`nil`: not set).
    ///
    /// Unset, the job gets every GPU whole, as Headroom has always planned. Set,
    /// CUDA's rules apply: entries in order, up to the first that names nothing;
    /// a MIG UUID gives that slice; a GPU in MIG mode named by index or UUID
    /// gives its first MIG device; a process sees one MIG device at most.
    public func selection(cudaVisibleDevices value: String?) -> GPUSelection {
        let name = CUDAVisibleDevices.variable
        guard let value else {
            var selection = GPUSelection(variable: nil, devices: devices.enumerated().map { VisibleGPU(cudaDevice: $0.offset, gpu: $0.element) })
            for gpu in devices where gpu.mig?.isEnabled == true {
                selection.notes.append("GPU\(gpu.index) is in MIG mode: a CUDA job gets one of its MIG devices, not the whole GPU; set \(name) to a MIG UUID to plan for that slice")
            }
            return selection
        }
        let parsed = CUDAVisibleDevices(value)
        var selection = GPUSelection(variable: value, devices: [])
        if parsed.entries.isEmpty && parsed.unparsed == nil {
            selection.notes.append("\(name)=\"\(value)\" gives the job no GPU")
            return selection
        }
        var chosen: [VisibleGPU] = []
        var stopped = false
        func stop(_ entry: String, _ reason: String) {
            stopped = true
            selection.notes.append("\(name): \(entry) \(reason); CUDA ignores it and every entry after it")
        }
        loop: for entry in parsed.entries {
            let pick: (gpu: GPUDevice, mig: MIGDevice?)
            switch match(entry) {
            case .failure(let problem):
                stop(problem.entry, problem.reason)
                break loop
            case .success(let found):
                pick = found
            }
            var mig = pick.mig
            if mig == nil, let state = pick.gpu.mig, state.isEnabled {
                guard let first = state.devices.first else {
                    selection.notes.append("\(name): GPU\(pick.gpu.index) is in MIG mode with no MIG devices: CUDA sees no device on it")
                    continue
                }
                selection.notes.append("\(name): GPU\(pick.gpu.index) is in MIG mode: the job gets its first MIG device (\(first.uuid ?? "index \(first.index)")), not the whole GPU")
                mig = first
            }
            if let mig {
                if chosen.contains(where: { $0.migDevice != nil }) {
                    selection.notes.append("\(name): \(mig.uuid ?? "a second MIG device") left out: a CUDA process sees one MIG device at most")
                    continue
                }
                chosen.append(VisibleGPU(cudaDevice: chosen.count, gpu: pick.gpu, mig: mig))
            } else {
                if chosen.contains(where: { $0.gpuIndex == pick.gpu.index && $0.migDevice == nil }) {
                    stop(describe(entry), "names GPU\(pick.gpu.index) a second time")
                    break loop
                }
                chosen.append(VisibleGPU(cudaDevice: chosen.count, gpu: pick.gpu))
            }
        }
        if let unparsed = parsed.unparsed, !stopped {
            stop("\"\(unparsed)\"", "is not an index, a GPU-… or a MIG-… UUID")
        }
        selection.devices = chosen
        if chosen.isEmpty { selection.notes.append("\(name)=\"\(value)\" leaves the job no GPU") }
        return selection
    }

    private struct Unmatched: Error {
        var entry: String
        var reason: String
    }

    private func describe(_ entry: CUDAVisibleDevices.Entry) -> String {
        switch entry {
        case .index(let index): "index \(index)"
        case .gpuUUID(let uuid), .migUUID(let uuid): uuid
        case .migInstance(let gpu, let gi, let ci): "MIG-\(gpu)/\(gi)/\(ci)"
        }
    }

    /// The GPU (and MIG device) one entry names, or why it names none.
    private func match(_ entry: CUDAVisibleDevices.Entry) -> Result<(gpu: GPUDevice, mig: MIGDevice?), Unmatched> {
        let label = describe(entry)
        switch entry {
        case .index(let index):
            guard let gpu = devices.first(where: { $0.index == index }) else {
                return .failure(Unmatched(entry: label, reason: "names no GPU (this machine has \(devices.count))"))
            }
            return .success((gpu, nil))
        case .gpuUUID(let prefix):
            let found = devices.filter { $0.uuid.map { $0.lowercased().hasPrefix(prefix.lowercased()) } ?? false }
            guard found.count == 1 else {
                return .failure(Unmatched(entry: label, reason: found.isEmpty ? "matches no GPU's UUID" : "matches \(found.count) GPUs' UUIDs"))
            }
            return .success((found[0], nil))
        case .migUUID(let prefix):
            let found = devices.flatMap { gpu in
                (gpu.mig?.devices ?? []).filter { $0.uuid.map { $0.lowercased().hasPrefix(prefix.lowercased()) } ?? false }.map { (gpu, $0) }
            }
            guard found.count == 1 else {
                return .failure(Unmatched(entry: label, reason: found.isEmpty ? "matches no MIG device's UUID" : "matches \(found.count) MIG devices' UUIDs"))
            }
            return .success((found[0].0, found[0].1))
        case .migInstance(let uuid, let gi, let ci):
            guard let gpu = devices.first(where: { $0.uuid?.lowercased() == uuid.lowercased() }),
                  let mig = gpu.mig?.devices.first(where: { $0.gpuInstanceID == gi && $0.computeInstanceID == ci }) else {
                return .failure(Unmatched(entry: label, reason: "matches no MIG device"))
            }
            return .success((gpu, mig))
        }
    }
}
