import HeadroomMonitor
import Testing

/// The exporter's text is parsed back as Prometheus reads it (`# HELP`,
/// `# TYPE`, `name{labels} value`) and every figure compared with the
/// snapshot it came from.
@Suite("MetricsExporter")
struct MetricsExporterTests {
    static let gib: Int64 = 1 << 30

    static let gpuName = #"NVIDIA H100 "SXM" 80GB\rev"#

    /// 64 GiB host with 48 available and 2 of 8 GiB swap in use, a 16 GiB container using 5,
    /// PSI, and two GPUs: one fully read with two processes (one unattributed), one with nothing read.
    static func snapshot(oomKills: Int64 = 2, containerStallMicroseconds: Int = 2_500_000, availableGiB: Int64 = 48, gpuProcesses: [GPUProcess]? = nil,
                         container: Bool = true, pressure: Bool = true, gpus: Bool = true) -> MemorySnapshot {
        let host = HostMemory(total: .gibibytes(64), available: .gibibytes(availableGiB), free: .gibibytes(10),
                              cached: .gibibytes(30), swapTotal: .gibibytes(8), swapFree: .gibibytes(6),
                              availableIsEstimated: false)
        let cgroup = ContainerMemory(version: .v2, cgroupPath: "/docker/abc", limit: .gibibytes(16),
                                     limitSource: "/sys/fs/cgroup", high: nil, usage: .gibibytes(5),
                                     charged: .gibibytes(6), inactiveFile: .gibibytes(1), peak: nil,
                                     oomKills: oomKills, limitHits: 7, pressure: MemoryPressure(parsing: """
                                         some avg10=3.00 avg60=1.00 avg300=0.50 total=\(containerStallMicroseconds * 2)
                                         full avg10=1.00 avg60=0.50 avg300=0.10 total=\(containerStallMicroseconds)
                                         """))
        let psi = MemoryPressure(parsing: """
            some avg10=1.50 avg60=0.75 avg300=0.25 total=123456
            full avg10=0.50 avg60=0.20 avg300=0.00 total=65432
            """)
        var first = GPUDevice(index: 0)
        first.name = gpuName
        first.uuid = "GPU-0a1b"
        first.pciBusID = "00000000:3B:00.0"
        first.memory = GPUMemory(total: .gibibytes(80), reserved: .mebibytes(512), used: .gibibytes(20),
                                 free: .gibibytes(80) - .gibibytes(20) - .mebibytes(512))
        first.utilization = GPUUtilization(gpuPercent: 75, memoryPercent: 40)
        first.processes = gpuProcesses ?? [GPUProcess(pid: 4242, usedMemory: .gibibytes(8), kind: .compute),
                                           GPUProcess(pid: 4343, usedMemory: nil, kind: .compute)]
        let second = GPUDevice(index: 1)
        return MemorySnapshot(host: host, cgroup: container ? cgroup : nil, pressure: pressure ? psi : nil,
                              cpu: CPUInfo(logical: 8, physical: 4, allowed: 8, quota: nil), process: nil,
                              gpus: GPUInventory(backend: "test", isAvailable: gpus, devices: gpus ? [first, second] : []))
    }

    static func exposition(_ exporter: MetricsExporter) throws -> Exposition {
        try Exposition(String(decoding: exporter.exposition(), as: UTF8.self))
    }

    @Test("the text is well formed: one TYPE and HELP per family, before and next to its samples, valid names")
    func wellFormed() throws {
        let exporter = MetricsExporter()
        exporter.update(from: Self.snapshot(), at: 1_700_000_000.5)
        let text = try Self.exposition(exporter)
        #expect(!text.samples.isEmpty)
        for sample in text.samples {
            #expect(text.types[sample.name] != nil, "\(sample.name) has no TYPE")
            #expect(text.help[sample.name]?.isEmpty == false, "\(sample.name) has no HELP")
            #expect(Exposition.isMetricName(sample.name), "\(sample.name)")
            for name in sample.labels.keys { #expect(Exposition.isLabelName(name), "\(sample.name): \(name)") }
        }
        // No family has a TYPE and no samples, and no series appears twice.
        #expect(Set(text.types.keys) == Set(text.samples.map(\.name)))
        let series = text.samples.map { "\($0.name)\($0.labels.sorted { $0.key < $1.key })" }
        #expect(Set(series).count == series.count)
    }

    @Test("every metric has its type and the snapshot's figure, in base units")
    func values() throws {
        let exporter = MetricsExporter()
        exporter.update(from: Self.snapshot(), at: 1_700_000_000.5)
        let text = try Self.exposition(exporter)
        let gib = Double(Self.gib)
        let plain: [(String, Double)] = [
            ("headroom_host_memory_total_bytes", 64 * gib),
            ("headroom_host_memory_available_bytes", 48 * gib),
            ("headroom_host_swap_used_bytes", 2 * gib),
            ("headroom_container_memory_limit_bytes", 16 * gib),
            ("headroom_container_memory_usage_bytes", 5 * gib),
            ("headroom_last_sample_timestamp_seconds", 1_700_000_000.5),
        ]
        for (name, value) in plain {
            #expect(text.types[name] == "gauge", "\(name)")
            #expect(try text.value(name) == value, "\(name)")
        }
        // The cgroup's own cumulative figure, as node_exporter exports the kernel's counters.
        #expect(text.types["headroom_container_oom_kills_total"] == "counter")
        #expect(try text.value("headroom_container_oom_kills_total") == 2)

        // PSI's total= in microseconds becomes seconds: some → waiting, full → stalled, by scope.
        let pressure: [(String, String, Double)] = [
            ("headroom_pressure_memory_waiting_seconds_total", "host", 0.123456),
            ("headroom_pressure_memory_stalled_seconds_total", "host", 0.065432),
            ("headroom_pressure_memory_waiting_seconds_total", "container", 5.0),
            ("headroom_pressure_memory_stalled_seconds_total", "container", 2.5),
        ]
        for (name, scope, seconds) in pressure {
            #expect(text.types[name] == "counter")
            #expect(text.samples.filter { $0.name == name }.count == 2)
            let value = try text.value(name, ["scope": scope])
            #expect(abs(value - seconds) < 1e-9, "\(name){scope=\(scope)} = \(value)")
        }
        // The kernel's running averages are not exported: rate() over the counters gives them.
        #expect(!text.types.keys.contains { $0.hasSuffix("pressure_some_ratio") || $0.contains("memory_pressure") })
    }

    @Test("pressure counters rise with PSI's total and reset when it falls (a new cgroup)")
    func pressureCounters() throws {
        let exporter = MetricsExporter()
        var readings: [Double] = []
        for micros in [1_000_000, 3_000_000, 3_000_000, 500_000, 1_500_000] {
            exporter.update(from: Self.snapshot(containerStallMicroseconds: micros), at: 0)
            readings.append(try Self.exposition(exporter).value("headroom_pressure_memory_stalled_seconds_total",
                                                                ["scope": "container"]))
        }
        #expect(readings == [1, 3, 3, 0.5, 1.5])
    }

    @Test("GPU series carry the DCGM exporter's labels (gpu, UUID, modelName, pci_bus_id), escaped and read back intact")
    func gpuSeries() throws {
        let exporter = MetricsExporter()
        exporter.update(from: Self.snapshot(), at: 1)
        let text = try Self.exposition(exporter)
        let labels = ["gpu": "0", "UUID": "GPU-0a1b", "modelName": Self.gpuName, "pci_bus_id": "00000000:3B:00.0"]
        let gib = Double(Self.gib)
        let expected: [(String, Double)] = [
            ("headroom_gpu_memory_total_bytes", 80 * gib),
            ("headroom_gpu_memory_used_bytes", 20 * gib),
            ("headroom_gpu_memory_free_bytes", 60 * gib - 512 * 1024 * 1024),
            ("headroom_gpu_memory_reserved_bytes", 512 * 1024 * 1024),
            ("headroom_gpu_utilization_ratio", 0.75),
            ("headroom_gpu_memory_utilization_ratio", 0.40),
        ]
        for (name, value) in expected {
            #expect(text.types[name] == "gauge", "\(name)")
            // GPU 1 reported nothing, so each family has GPU 0's series alone.
            let series = text.samples.filter { $0.name == name }
            #expect(series.count == 1, "\(name)")
            #expect(series.first?.labels == labels, "\(name)")
            #expect(series.first?.value == value, "\(name)")
        }
        #expect(!text.samples.contains { $0.labels["gpu"] == "1" })
        // The raw text escapes the name's quotes and backslash.
        #expect(text.raw.contains(#"modelName="NVIDIA H100 \"SXM\" 80GB\\rev""#))

        let processes = text.samples.filter { $0.name == "headroom_gpu_process_memory_used_bytes" }
        #expect(text.types["headroom_gpu_process_memory_used_bytes"] == "gauge")
        // 4343's use is unknown: no series rather than a zero.
        #expect(processes.count == 1)
        #expect(processes.first?.labels == ["gpu": "0", "UUID": "GPU-0a1b", "pid": "4242"])
        #expect(processes.first?.value == 8 * gib)
    }

    @Test("a later update replaces the values; processes that have gone lose their series")
    func laterUpdate() throws {
        let exporter = MetricsExporter()
        exporter.update(from: Self.snapshot(), at: 10)
        exporter.update(from: Self.snapshot(availableGiB: 40, gpuProcesses: [
            GPUProcess(pid: 5000, usedMemory: .gibibytes(3), kind: .compute),
        ]), at: 20)
        let text = try Self.exposition(exporter)
        #expect(try text.value("headroom_host_memory_available_bytes") == 40 * Double(Self.gib))
        #expect(try text.value("headroom_last_sample_timestamp_seconds") == 20)
        #expect(text.samples.filter { $0.name == "headroom_host_memory_available_bytes" }.count == 1)
        let processes = text.samples.filter { $0.name == "headroom_gpu_process_memory_used_bytes" }
        #expect(processes.map { $0.labels["pid"] } == ["5000"])
        #expect(processes.first?.value == 3 * Double(Self.gib))

        // No processes at all: the family goes, TYPE and HELP with it.
        exporter.update(from: Self.snapshot(gpuProcesses: []), at: 30)
        let empty = try Self.exposition(exporter)
        #expect(!empty.samples.contains { $0.name == "headroom_gpu_process_memory_used_bytes" })
        #expect(empty.types["headroom_gpu_process_memory_used_bytes"] == nil)
    }

    @Test("the OOM kill counter follows the cgroup's oom_kill; a drop (a new cgroup) is a counter reset")
    func oomKills() throws {
        let exporter = MetricsExporter()
        var readings: [Double] = []
        for kills: Int64 in [3, 5, 5, 9, 4, 6] {
            exporter.update(from: Self.snapshot(oomKills: kills), at: 0)
            readings.append(try Self.exposition(exporter).value("headroom_container_oom_kills_total"))
        }
        // Kills before the exporter started count, so increase() over a restart of the exporter loses none.
        #expect(readings == [3, 5, 5, 9, 4, 6])
    }

    @Test("a MIG slice's series add GPU_I_ID and GPU_I_PROFILE; unknown labels are left out")
    func migLabels() {
        var device = GPUDevice(index: 3)
        device.uuid = "GPU-9"
        let whole = Dictionary(uniqueKeysWithValues: MetricsExporter.gpuLabels(device))
        #expect(whole == ["gpu": "3", "UUID": "GPU-9"])
        let slice = Dictionary(uniqueKeysWithValues: MetricsExporter.gpuLabels(
            device, slice: MIGSliceLabels(gpuInstanceID: 7, profile: "1g.10gb")))
        #expect(slice == ["gpu": "3", "UUID": "GPU-9", "GPU_I_ID": "7", "GPU_I_PROFILE": "1g.10gb"])
    }

    @Test("MIG slices get their own memory series; a process's pod, container and Slurm job become labels")
    func migSlicesAndWorkloads() throws {
        var process = GPUProcess(pid: 4242, usedMemory: .gibibytes(8), kind: .compute)
        process.podUID = "0f1e2d3c-aaaa-bbbb-cccc-123456789abc"
        process.containerID = "4f2a"
        var snapshot = Self.snapshot(gpuProcesses: [process])
        let slice = GPUMemory(total: .gibibytes(10), reserved: .zero, used: .gibibytes(1), free: .gibibytes(9))
        snapshot.gpus.devices[0].mig = MIGState(isEnabled: true, isPendingEnabled: true, devices: [
            MIGDevice(index: 0, profile: "1g.10gb", gpuInstanceID: 7, computeInstanceID: 0, memory: slice),
            MIGDevice(index: 1, profile: "1g.10gb", gpuInstanceID: 8),
        ])
        let exporter = MetricsExporter()
        exporter.update(from: snapshot, at: 1)
        let text = try Self.exposition(exporter)
        let totals = text.samples.filter { $0.name == "headroom_gpu_memory_total_bytes" }
        // The whole GPU, and the one slice whose memory NVML gave.
        #expect(totals.count == 2)
        let sliceSeries = try #require(totals.first { $0.labels["GPU_I_ID"] == "7" })
        #expect(sliceSeries.labels["GPU_I_PROFILE"] == "1g.10gb")
        #expect(sliceSeries.value == 10 * Double(Self.gib))
        let held = try #require(text.samples.first { $0.name == "headroom_gpu_process_memory_used_bytes" })
        #expect(held.labels["pod_uid"] == "0f1e2d3c-aaaa-bbbb-cccc-123456789abc")
        #expect(held.labels["container_id"] == "4f2a")
        #expect(held.labels["slurm_job"] == nil)
    }

    @Test("no container, no PSI and no GPUs: only the host figures and the timestamp")
    func hostOnly() throws {
        let exporter = MetricsExporter()
        exporter.update(from: Self.snapshot(container: false, pressure: false, gpus: false), at: 5)
        let text = try Self.exposition(exporter)
        #expect(Set(text.types.keys) == ["headroom_host_memory_total_bytes", "headroom_host_memory_available_bytes",
                                         "headroom_host_swap_used_bytes", "headroom_last_sample_timestamp_seconds"])
        #expect(text.samples.count == 4)
        #expect(text.samples.allSatisfy { $0.labels.isEmpty })
    }
}

/// Prometheus text exposition (format 0.0.4), parsed strictly: a line that is
/// not a comment, a blank or a well-formed sample is an error, as is a sample
/// whose family has no TYPE before it or whose family's lines are not together.
struct Exposition {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    let raw: String
    var help: [String: String] = [:]
    var types: [String: String] = [:]
    var samples: [Sample] = []

    init(_ text: String) throws {
        raw = text
        guard text.isEmpty || text.hasSuffix("\n") else { throw ParseError("the text does not end in a newline") }
        var current: String?
        var finished: Set<String> = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ParseError("comment without a name and text: \(line)") }
                let name = parts[0]
                if name != current {
                    if let current { finished.insert(current) }
                    guard !finished.contains(name) else { throw ParseError("\(name) comes back after other families") }
                    current = name
                }
                if line.hasPrefix("# HELP ") {
                    guard help[name] == nil else { throw ParseError("second HELP for \(name)") }
                    help[name] = parts[1]
                } else {
                    guard types[name] == nil else { throw ParseError("second TYPE for \(name)") }
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[1]) else {
                        throw ParseError("unknown type \(parts[1])")
                    }
                    types[name] = parts[1]
                }
                continue
            }
            if line.hasPrefix("#") { continue }
            let sample = try Exposition.sample(line)
            guard types[sample.name] != nil else { throw ParseError("\(sample.name) has no TYPE before it") }
            guard sample.name == current else { throw ParseError("\(sample.name) is apart from its family") }
            samples.append(sample)
        }
    }

    /// The value of the one series named `name` with exactly `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) throws -> Double {
        let matches = samples.filter { $0.name == name && $0.labels == labels }
        guard matches.count == 1 else { throw ParseError("\(matches.count) series \(name)\(labels)") }
        return matches[0].value
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" || first == ":" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// `name{label="value",…} value`, with `\\`, `\"` and `\n` unescaped in label values.
    static func sample(_ line: Substring) throws -> Sample {
        let nameEnd = line.firstIndex { $0 == "{" || $0 == " " } ?? line.endIndex
        let name = String(line[..<nameEnd])
        guard isMetricName(name) else { throw ParseError("bad metric name in \(line)") }
        var rest = line[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { throw ParseError("label without = in \(line)") }
                let label = String(rest[..<equals])
                guard isLabelName(label), labels[label] == nil else { throw ParseError("bad label \(label) in \(line)") }
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { throw ParseError("unquoted value of \(label) in \(line)") }
                rest = rest.dropFirst()
                var value = ""
                while true {
                    guard let character = rest.first else { throw ParseError("unterminated value in \(line)") }
                    rest = rest.dropFirst()
                    if character == "\"" { break }
                    if character == "\\" {
                        guard let escaped = rest.first else { throw ParseError("dangling escape in \(line)") }
                        rest = rest.dropFirst()
                        switch escaped {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw ParseError("unknown escape \\\(escaped) in \(line)")
                        }
                    } else {
                        value.append(character)
                    }
                }
                labels[label] = value
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" {
                    throw ParseError("expected , or } in \(line)")
                }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw ParseError("no space before the value in \(line)") }
        let fields = rest.dropFirst().split(separator: " ")
        guard (1...2).contains(fields.count), let value = Double(fields[0]) else {
            throw ParseError("bad value in \(line)")
        }
        return Sample(name: name, labels: labels, value: value)
    }
}
