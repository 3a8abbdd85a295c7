import Prometheus
import Synchronization

/// Host, container, PSI and GPU figures as Prometheus gauges, updated from the
/// probe's readings; scrapes format the latest values without probing again.
///
/// Names follow Prometheus conventions (base units, `_bytes`, `_ratio`,
/// `_total` for counters):
/// - `headroom_host_memory_total_bytes`, `headroom_host_memory_available_bytes`,
///   `headroom_host_swap_used_bytes`
/// - `headroom_container_memory_limit_bytes`, `headroom_container_memory_usage_bytes`,
///   `headroom_container_oom_kills_total` (where a cgroup limit applies)
/// - `headroom_memory_pressure_some_ratio{window="10s"|"60s"|"300s"}`, and `_full_`
/// - per GPU, labelled `gpu` (index), `uuid` and `name`:
///   `headroom_gpu_memory_total_bytes`, `_used_bytes`, `_free_bytes`, `_reserved_bytes`,
///   `headroom_gpu_utilization_ratio`, `headroom_gpu_memory_utilization_ratio`
/// - per GPU process, labelled `gpu`, `uuid` and `pid`: `headroom_gpu_process_memory_used_bytes`
///   (series of processes that have gone are removed)
/// - `headroom_scrape_sample_age_seconds`-style freshness: `headroom_last_sample_timestamp_seconds`.
public final class MetricsExporter: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let processGauges = Mutex<[String: Gauge]>([:])
    private let oomKills = Mutex<Int64?>(nil)

    public init() {}

    /// Sets every gauge from `snapshot`.
    public func update(from snapshot: MemorySnapshot, at timestamp: Double) {
        update(memory: snapshot.memory, gpus: snapshot.gpus, at: timestamp)
    }

    /// Sets every gauge from a reading of the machine's memory and GPUs.
    public func update(memory: MachineMemory, gpus: GPUInventory, at timestamp: Double) {
        gauge("headroom_host_memory_total_bytes", "Host RAM.").set(Double(memory.host.total.bytes))
        gauge("headroom_host_memory_available_bytes", "Host RAM available (MemAvailable).")
            .set(Double(memory.host.available.bytes))
        gauge("headroom_host_swap_used_bytes", "Swap in use.")
            .set(Double((memory.host.swapTotal - memory.host.swapFree).bytes))
        if let container = memory.container {
            if let limit = container.limit {
                gauge("headroom_container_memory_limit_bytes", "The memory cgroup's effective limit.").set(Double(limit.bytes))
            }
            if let usage = container.usage {
                gauge("headroom_container_memory_usage_bytes", "The cgroup's usage less inactive file cache.")
                    .set(Double(usage.bytes))
            }
            if let kills = container.oomKills { countOOMKills(kills) }
        }
        if let pressure = memory.pressure {
            let lines: [(String, MemoryPressure.Line?)] = [("some", pressure.some), ("full", pressure.full)]
            for (kind, line) in lines {
                guard let line else { continue }
                for (window, percent) in [("10s", line.avg10Percent), ("60s", line.avg60Percent), ("300s", line.avg300Percent)] {
                    gauge("headroom_memory_pressure_\(kind)_ratio",
                          "Share of time some (or all) tasks waited for memory (PSI), by window.",
                          labels: [("window", window)]).set(percent / 100)
                }
            }
        }
        updateGPUs(gpus)
        gauge("headroom_last_sample_timestamp_seconds", "When the figures were read (Unix time).").set(timestamp)
    }

    private func updateGPUs(_ inventory: GPUInventory) {
        var live: Set<String> = []
        for device in inventory.devices {
            let labels = [("gpu", "\(device.index)"), ("uuid", device.uuid ?? ""), ("name", device.name ?? "")]
            if let memory = device.memory {
                gauge("headroom_gpu_memory_total_bytes", "GPU memory.", labels: labels).set(Double(memory.total.bytes))
                gauge("headroom_gpu_memory_used_bytes", "GPU memory in use (reserved apart).", labels: labels)
                    .set(Double(memory.used.bytes))
                gauge("headroom_gpu_memory_free_bytes", "GPU memory free.", labels: labels).set(Double(memory.free.bytes))
                if let reserved = memory.reserved {
                    gauge("headroom_gpu_memory_reserved_bytes", "GPU memory the driver reserves.", labels: labels)
                        .set(Double(reserved.bytes))
                }
            }
            if let utilization = device.utilization {
                gauge("headroom_gpu_utilization_ratio", "Share of time a kernel ran.", labels: labels)
                    .set(Double(utilization.gpuPercent) / 100)
                gauge("headroom_gpu_memory_utilization_ratio", "Share of time memory was read or written.", labels: labels)
                    .set(Double(utilization.memoryPercent) / 100)
            }
            for process in device.processes ?? [] {
                guard let used = process.usedMemory else { continue }
                let key = "\(device.index)/\(process.pid)"
                live.insert(key)
                let processLabels = [("gpu", "\(device.index)"), ("uuid", device.uuid ?? ""), ("pid", "\(process.pid)")]
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

    private func countOOMKills(_ total: Int64) {
        let counter = registry.makeCounter(descriptor: MetricsExporter.descriptor(
            "headroom_container_oom_kills_total", "OOM kills in the memory cgroup since the exporter started."))
        oomKills.withLock { last in
            if let previous = last, total > previous { counter.increment(by: Int64(total - previous)) }
            last = total
        }
    }

    /// A gauge by name and labels: the registry returns the same one for the same name and labels.
    private func gauge(_ name: String, _ help: String, labels: [(String, String)] = []) -> Gauge {
        let descriptor = MetricsExporter.descriptor(name, help)
        return labels.isEmpty ? registry.makeGauge(descriptor: descriptor)
                              : registry.makeGauge(descriptor: descriptor, labels: labels)
    }

    /// `headroom_host_memory_total_bytes` as namespace `headroom`, name `host_memory_total`, unit `bytes`.
    static func descriptor(_ fullName: String, _ help: String) -> MetricNameDescriptor {
        var parts = fullName.split(separator: "_").map(String.init)
        let unit = parts.removeLast()
        return MetricNameDescriptor(namespace: parts.removeFirst(), metricName: parts.joined(separator: "_"),
                                    unitName: unit, helpText: help)
    }

    /// The exposition text (format 0.0.4).
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
