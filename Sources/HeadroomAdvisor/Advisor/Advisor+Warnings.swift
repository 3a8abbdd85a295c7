extension Advisor {
    /// Swap above this is worth a warning; a few pages are normal.
    static let swapWarningThreshold = ByteCount.mebibytes(64)
    /// Stall shares (PSI avg10) that mean the machine is short of memory now.
    static let somePressureThreshold = 10.0
    static let fullPressureThreshold = 1.0
    /// GPU memory held by others above this share of the total is worth a warning.
    static let heldGPUShare = 0.05

    /// Findings about `snapshot` that change what a workload should do.
    public func warnings(for snapshot: MemorySnapshot) -> [Warning] {
        var warnings: [Warning] = []
        let host = snapshot.host
        if host.swapUsed > Advisor.swapWarningThreshold {
            warnings.append(Warning(code: .swapInUse, message:
                "swap in use: \(host.swapUsed) of \(host.swapTotal); memory a model touches from swap is thousands of times slower — lower the RAM cap or stop other programs"))
        }
        for (scope, pressure) in [("host", snapshot.pressure), ("container", snapshot.cgroup?.pressure)] {
            guard let pressure else { continue }
            let full = pressure.full?.avg10Percent ?? 0
            if pressure.some.avg10Percent >= Advisor.somePressureThreshold || full >= Advisor.fullPressureThreshold {
                warnings.append(Warning(code: .memoryPressure, message:
                    "high memory pressure (\(scope)): tasks waited for memory \(pressure.some.avg10Percent.fixed(1))% of the last 10 s (all tasks at once \(full.fixed(1))%) — the kernel is reclaiming; use a lower level or a smaller batch"))
            }
        }
        if let container = snapshot.container, let limit = container.limit {
            if limit < host.total {
                warnings.append(Warning(code: .containerLimit, message:
                    "container limit \(limit) is below host RAM \(host.total): free, psutil and /proc/meminfo show the host, but the kernel kills this container at \(limit) — budget from the container's figures"))
            }
            if let usage = container.usage, usage.fraction(of: limit) >= 0.9 {
                warnings.append(Warning(code: .containerNearLimit, message:
                    "container memory at \((usage.fraction(of: limit) * 100).fixed(0))% of its limit (\(usage) of \(limit)): the next allocation may be OOM-killed"))
            }
        }
        if let kills = snapshot.cgroup?.oomKills, kills > 0 {
            warnings.append(Warning(code: .oomKills, message:
                "the OOM killer has killed \(kills) process\(kills == 1 ? "" : "es") in this cgroup — its limit was reached before; plan below it"))
        }
        let effective = snapshot.effective
        if effective.available.fraction(of: effective.limit) < 0.1 {
            warnings.append(Warning(code: .lowMemory, message:
                "only \(effective.available) of \(effective.limit) memory is available"))
        }
        warnings.append(contentsOf: gpuWarnings(snapshot.gpus))
        return warnings
    }

    private func gpuWarnings(_ inventory: GPUInventory) -> [Warning] {
        var warnings: [Warning] = []
        if inventory.devices.isEmpty {
            let reason = inventory.isAvailable ? "the driver reports none" : "NVML could not be loaded"
            warnings.append(Warning(code: .noGPU, message: "no NVIDIA GPU found (\(reason)); GPU settings are left out"))
        } else {
            let selection = inventory.selection
            for note in selection.notes {
                warnings.append(Warning(code: .cudaVisibleDevices, message: note))
            }
        }
        for device in inventory.devices {
            guard let mig = device.mig, mig.isChangePending else { continue }
            warnings.append(Warning(code: .migModePending, message:
                "GPU\(device.index): MIG mode is \(mig.isEnabled ? "on" : "off") now and \(mig.isPendingEnabled ? "on" : "off") after the next GPU reset; the figures here are for the current mode"))
        }
        for device in inventory.devices {
            let label = "GPU\(device.index)"
            if device.isUnifiedMemory {
                warnings.append(Warning(code: .unifiedMemory, message:
                    "\(label) shares host memory (unified memory): its budget is host RAM, and host and GPU allocations compete"))
            }
            guard let memory = device.memory else { continue }
            let others = (device.processes ?? []).filter { $0.pid != ProcessMemory.currentPID }
            if memory.used.fraction(of: memory.total) >= Advisor.heldGPUShare {
                let pids = others.prefix(5).map { String($0.pid) }.joined(separator: ", ")
                let who = others.isEmpty ? "" : " by \(others.count) process\(others.count == 1 ? "" : "es") (PID \(pids)\(others.count > 5 ? ", …" : ""))"
                warnings.append(Warning(code: .gpuMemoryHeld, message:
                    "\(label): \(memory.used) of \(memory.total) already held\(who); the limits below count only what is free"))
            }
            if let reserved = memory.reserved, reserved > .zero {
                let ecc = device.eccEnabled == true ? " (ECC is on)" : ""
                warnings.append(Warning(code: .gpuReservedMemory, message:
                    "\(label): \(reserved) reserved by the driver\(ecc); it is in the total nvidia-smi shows but can never be allocated"))
            }
        }
        return warnings
    }
}
