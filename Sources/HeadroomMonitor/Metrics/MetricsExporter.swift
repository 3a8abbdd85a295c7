import Prometheus
import Synchronization

/// Host, container, PSI and GPU figures in Prometheus's conventions, updated
/// from the probe's readings; scrapes format the latest values without probing again.
///
/// Every metric, its type, labels and its DCGM, node_exporter or cAdvisor
/// counterpart is listed in `docs/metrics.md`. In short:
/// - gauges in base units (`_bytes`, `_ratio`, `_seconds`) for figures that go up and down;
/// - counters (`_total`) that follow the kernel's own cumulative figures: PSI's
///   `total=` as `headroom_pressure_memory_{waiting,stalled}_seconds_total{scope}`
///   and the cgroup's `oom_kill` as `headroom_container_oom_kills_total`;
/// - GPU series labelled as the DCGM exporter labels them (`gpu`, `UUID`,
///   `modelName`, `pci_bus_id`, and `GPU_I_ID`, `GPU_I_PROFILE` on MIG slices),
///   so a panel can join the two exporters.
public final class MetricsExporter: Sendable {
    public let registry = PrometheusCollectorRegistry()
    /// Per-process series by `gpu/pid`, removed when the process goes.
    let processGauges = Mutex<[String: Gauge]>([:])
    /// The last kernel total each counter was set from, by series.
    let lastTotals = Mutex<[String: Double]>([:])
    /// The text of the latest update, formatted once per sample so that scrapes only copy it.
    private let rendered = Mutex<[UInt8]?>(nil)

    public init() {}

    /// Sets every metric from `snapshot`.
    public func update(from snapshot: MemorySnapshot, at timestamp: Double) {
        update(memory: snapshot.memory, gpus: snapshot.gpus, at: timestamp)
    }

    /// Sets every metric from a reading of the machine's memory and GPUs.
    public func update(memory: MachineMemory, gpus: GPUInventory, at timestamp: Double) {
        gauge("headroom_host_memory_total_bytes", "Host RAM.").set(Double(memory.host.total.bytes))
        gauge("headroom_host_memory_available_bytes", "Host RAM available (MemAvailable).")
            .set(Double(memory.host.available.bytes))
        gauge("headroom_host_swap_used_bytes", "Swap in use.")
            .set(Double((memory.host.swapTotal - memory.host.swapFree).bytes))
        if let pressure = memory.pressure { follow(pressure, scope: "host") }
        if let container = memory.container {
            if let limit = container.limit {
                gauge("headroom_container_memory_limit_bytes", "The memory cgroup's effective limit.").set(Double(limit.bytes))
            }
            if let usage = container.usage {
                gauge("headroom_container_memory_usage_bytes", "The cgroup's usage less inactive file cache.")
                    .set(Double(usage.bytes))
            }
            if let kills = container.oomKills {
                follow("headroom_container_oom_kills_total",
                       "Processes the OOM killer killed in the memory cgroup (memory.events oom_kill).", total: Double(kills))
            }
            if let pressure = container.pressure { follow(pressure, scope: "container") }
        }
        updateGPUs(gpus)
        gauge("headroom_last_sample_timestamp_seconds", "When the figures were read (Unix time).").set(timestamp)
        let text = registry.emitToBuffer()
        rendered.withLock { $0 = text }
    }

    /// PSI's `total=` (microseconds) as seconds: `some` is time at least one task waited, `full` time all stalled.
    private func follow(_ pressure: MemoryPressure, scope: String) {
        follow("headroom_pressure_memory_waiting_seconds_total",
               "Time at least one task waited for memory (PSI some total), by scope (host or container).",
               labels: [("scope", scope)], total: Double(pressure.some.totalMicroseconds) / 1e6)
        if let full = pressure.full {
            follow("headroom_pressure_memory_stalled_seconds_total",
                   "Time every non-idle task stalled on memory at once (PSI full total), by scope (host or container).",
                   labels: [("scope", scope)], total: Double(full.totalMicroseconds) / 1e6)
        }
    }

    /// A counter that follows a cumulative figure the kernel keeps: it rises by the figure's rise,
    /// and a fall (a new cgroup, a reboot) is a counter reset, as Prometheus's `rate()` expects.
    func follow(_ name: String, _ help: String, labels: [(String, String)] = [], total: Double) {
        let descriptor = MetricsExporter.descriptor(name, help)
        let counter = labels.isEmpty ? registry.makeCounter(descriptor: descriptor)
                                     : registry.makeCounter(descriptor: descriptor, labels: labels)
        let key = name + labels.map { "\u{0}\($0.0)=\($0.1)" }.joined()
        lastTotals.withLock { last in
            let previous = last[key] ?? 0
            if total >= previous {
                counter.increment(by: total - previous)
            } else {
                counter.reset()
                counter.increment(by: max(0, total))
            }
            last[key] = total
        }
    }

    /// A gauge by name and labels: the registry returns the same one for the same name and labels.
    func gauge(_ name: String, _ help: String, labels: [(String, String)] = []) -> Gauge {
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

    /// The exposition text (format 0.0.4) as of the latest update: formatted once per
    /// update, not per scrape, so concurrent scrapers cost a copy each.
    public func exposition() -> [UInt8] {
        rendered.withLock { $0 } ?? registry.emitToBuffer()
    }
}
