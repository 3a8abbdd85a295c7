import Prometheus

/// A MIG slice's identity as the DCGM exporter labels it: `GPU_I_ID` (the GPU
/// instance ID) and `GPU_I_PROFILE` (such as `1g.10gb`).
public struct MIGSliceLabels: Sendable, Hashable {
    public var gpuInstanceID: Int
    public var profile: String

    public init(gpuInstanceID: Int, profile: String) {
        self.gpuInstanceID = gpuInstanceID
        self.profile = profile
    }
}

extension MetricsExporter {
    /// The DCGM exporter's labels for a GPU: `gpu` (the index), `UUID`, `modelName`,
    /// `pci_bus_id` (`00000000:3B:00.0`), then `GPU_I_ID` and `GPU_I_PROFILE` for a MIG
    /// slice. A label whose value is unknown is left out (Prometheus reads an empty
    /// label as an absent one).
    public static func gpuLabels(_ device: GPUDevice, slice: MIGSliceLabels? = nil) -> [(String, String)] {
        var labels = [("gpu", "\(device.index)")]
        if let uuid = device.uuid { labels.append(("UUID", uuid)) }
        if let name = device.name { labels.append(("modelName", name)) }
        if let bus = device.pciBusID { labels.append(("pci_bus_id", bus)) }
        if let slice {
            labels.append(("GPU_I_ID", "\(slice.gpuInstanceID)"))
            labels.append(("GPU_I_PROFILE", slice.profile))
        }
        return labels
    }

    /// Memory and utilization per GPU, and memory per process; processes that have gone lose their series.
    func updateGPUs(_ inventory: GPUInventory) {
        var live: Set<String> = []
        for device in inventory.devices {
            let labels = MetricsExporter.gpuLabels(device)
            if let memory = device.memory {
                setMemory(memory, labels: labels)
            }
            // Each MIG slice: the same memory families, labelled with GPU_I_ID and GPU_I_PROFILE as DCGM does.
            for slice in device.mig?.devices ?? [] {
                guard let memory = slice.memory, let instance = slice.gpuInstanceID else { continue }
                let identity = MIGSliceLabels(gpuInstanceID: instance, profile: slice.profile ?? "unknown")
                setMemory(memory, labels: MetricsExporter.gpuLabels(device, slice: identity))
            }
            if let utilization = device.utilization {
                gauge("headroom_gpu_utilization_ratio", "Share of time a kernel ran.", labels: labels)
                    .set(Double(utilization.gpuPercent) / 100)
                gauge("headroom_gpu_memory_utilization_ratio", "Share of time memory was read or written.", labels: labels)
                    .set(Double(utilization.memoryPercent) / 100)
            }
            for process in device.processes ?? [] {
                guard let used = process.usedMemory else { continue }
                var processLabels = [("gpu", "\(device.index)")]
                if let uuid = device.uuid { processLabels.append(("UUID", uuid)) }
                processLabels.append(("pid", "\(process.pid)"))
                // Where the process's cgroup names its pod, container or Slurm job.
                for (name, value) in [("pod_uid", process.podUID), ("container_id", process.containerID), ("slurm_job", process.slurmJob)] {
                    if let value { processLabels.append((name, value)) }
                }
                let key = processLabels.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
                live.insert(key)
                processGauges.withLock { gauges in
                    let gauge = gauges[key] ?? self.gauge("headroom_gpu_process_memory_used_bytes",
                                                          "GPU memory a process holds.", labels: processLabels)
                    gauges[key] = gauge
                    gauge.set(Double(used.bytes))
                }
            }
        }
        processGauges.withLock { gauges in
            for (key, gauge) in gauges where !live.contains(key) {
                registry.unregisterGauge(gauge)
                gauges[key] = nil
            }
        }
    }

    /// The four memory gauges of one GPU or MIG slice.
    func setMemory(_ memory: GPUMemory, labels: [(String, String)]) {
        gauge("headroom_gpu_memory_total_bytes", "GPU memory.", labels: labels).set(Double(memory.total.bytes))
        gauge("headroom_gpu_memory_used_bytes", "GPU memory in use (reserved apart).", labels: labels)
            .set(Double(memory.used.bytes))
        gauge("headroom_gpu_memory_free_bytes", "GPU memory free.", labels: labels).set(Double(memory.free.bytes))
        if let reserved = memory.reserved {
            gauge("headroom_gpu_memory_reserved_bytes", "GPU memory the driver reserves.", labels: labels)
                .set(Double(reserved.bytes))
        }
    }
}
