import HeadroomAdvisor
import HeadroomRun

/// The `diagnose` report for people: sections of aligned label/value lines.
struct DiagnoseText {
    var report: DiagnosticReport

    private var lines: [String] = []

    init(report: DiagnosticReport) {
        self.report = report
    }

    func render() -> String {
        var text = self
        text.system()
        text.hostMemory()
        text.container()
        text.process()
        text.gpus()
        text.recommendations()
        text.settings()
        text.problems()
        return text.lines.joined(separator: "\n") + "\n"
    }

    private mutating func section(_ title: String) {
        if !lines.isEmpty { lines.append("") }
        lines.append(title)
    }

    private mutating func row(_ label: String, _ value: String) {
        let padded = label + String(repeating: " ", count: max(1, 14 - label.count))
        lines.append("  \(padded)\(value)")
    }

    private func percent(_ part: ByteCount, of whole: ByteCount) -> String {
        "\((part.fraction(of: whole) * 100).fixed(1))%"
    }

    private mutating func system() {
        let system = report.system
        section("System")
        row("host", "\(system.hostname) · \(system.kernel) \(system.kernelRelease) · \(system.machine)")
        let cpu = report.cpu
        var parts = ["\(cpu.logical) logical"]
        if let physical = cpu.physical { parts.append("\(physical) physical") }
        if let allowed = cpu.allowed, allowed != cpu.logical { parts.append("\(allowed) allowed") }
        parts.append(cpu.quota.map { "quota \($0.fixed(2))" } ?? "no quota")
        row("CPUs", parts.joined(separator: ", ") + " → \(cpu.effective) effective")
    }

    private mutating func hostMemory() {
        let host = report.host.memory
        section("Host memory")
        row("total", host.total.description)
        row("available", "\(host.available) (\(percent(host.available, of: host.total)))" + (host.availableIsEstimated ? " · estimated, no MemAvailable" : ""))
        row("used", "\(host.used) (\(host.usedPercent.fixed(1))%)")
        row("swap", host.swapTotal == .zero ? "none" : "\(host.swapUsed) used of \(host.swapTotal)")
        row("pressure", pressureText(report.host.pressure))
    }

    private func pressureText(_ pressure: MemoryPressure?) -> String {
        guard let pressure else { return "not reported by this kernel" }
        let full = pressure.full.map { " · full \($0.avg10Percent.fixed(1))%" } ?? ""
        return "some \(pressure.some.avg10Percent.fixed(1))%\(full) of the last 10 s"
    }

    private mutating func container() {
        section("Container")
        guard let cgroup = report.cgroup else {
            row("cgroup", "no memory cgroup mounted")
            return
        }
        row("cgroup", "\(cgroup.version.rawValue) \(cgroup.cgroupPath)")
        if let limit = cgroup.limit {
            row("limit", "\(limit)" + (limit < report.host.memory.total ? " (below host RAM \(report.host.memory.total))" : ""))
        } else {
            row("limit", "none (the host's memory is the limit)")
        }
        if let usage = cgroup.usage {
            let share = cgroup.limit.map { " (\(percent(usage, of: $0)) of limit)" } ?? ""
            let cache = cgroup.inactiveFile.map { " · \($0) reclaimable cache not counted" } ?? ""
            row("in use", "\(usage)\(share)\(cache)")
        }
        if let available = cgroup.available { row("available", available.description) }
        if let peak = cgroup.peak { row("peak", peak.description) }
        if let kills = cgroup.oomKills { row("OOM kills", String(kills)) }
        if cgroup.pressure != nil { row("pressure", pressureText(cgroup.pressure)) }
        let effective = report.effective
        row("effective", "\(effective.available) available of \(effective.limit) (lower of host and container)")
    }

    private mutating func process() {
        guard let tree = report.process else { return }
        let root = tree.root
        section("Process \(root.pid) (\(root.name))" + (tree.processes.count > 1 ? " and \(tree.processes.count - 1) descendants" : ""))
        row("RSS", "\(tree.totalRSS)" + (tree.processes.count > 1 ? " in all · \(root.rss) the root" : ""))
        row("peak RSS", "\(root.peakRSS) (the root's high-water mark)")
        row("PSS", tree.totalPSS.map(\.description) ?? "not readable")
        if root.swap > .zero { row("swapped", root.swap.description) }
        let onGPU = tree.processes.filter { $0.gpuMemory != nil }
        if !onGPU.isEmpty {
            let total = onGPU.reduce(ByteCount.zero) { $0 + ($1.gpuMemory ?? .zero) }
            row("GPU memory", "\(total) · " + onGPU.prefix(8).map { "\($0.pid) \($0.gpuMemory ?? .zero)" }.joined(separator: ", "))
        }
        if let namespace = report.pidNamespace, !namespace.isHost {
            row("PIDs", "not the host's (\(namespace.evidence)); GPU memory matched through device files")
        }
        for workload in Set(tree.processes.compactMap { WorkloadLine($0) }).sorted(by: { $0.text < $1.text }) {
            row(workload.label, workload.text)
        }
    }

    /// A process's pod, container or Slurm job, as a row.
    private struct WorkloadLine: Hashable {
        var label: String
        var text: String

        init?(_ process: ProcessMemory) {
            guard let identity = process.workload else { return nil }
            if let job = identity.slurmJob {
                (label, text) = ("Slurm job", job)
                return
            }
            var parts: [String] = []
            if let name = process.workloadName {
                parts.append([name.namespace, name.pod, name.container].compactMap { $0 }.joined(separator: "/"))
            }
            if let uid = identity.podUID { parts.append("pod \(uid)") }
            if let id = identity.containerID { parts.append("container \(id.prefix(12))") }
            (label, text) = (identity.podUID == nil ? "container" : "pod", parts.joined(separator: " · "))
        }
    }

    private mutating func gpus() {
        section("GPUs")
        let driver = report.gpuDriver
        if driver.isAvailable {
            let cuda = driver.cudaDriverVersion.map { " · CUDA \($0)" } ?? ""
            row("driver", (driver.driverVersion ?? "unknown") + cuda)
        }
        for issue in driver.issues { row(report.gpus.isEmpty ? "none" : "note", issue.reason) }
        if report.gpus.isEmpty && driver.isAvailable { row("none", "the driver reports no GPUs") }
        let selection = report.visibleDevices
        if let selection, let value = selection.variable {
            let devices = selection.devices.map { "cuda:\($0.cudaDevice) = \($0.label)" }
            row("CUDA_VISIBLE_DEVICES", "\"\(value)\" → " + (devices.isEmpty ? "no GPU" : devices.joined(separator: ", ")))
        }
        for device in report.gpus {
            let mark = selection?.isRestricted == true && selection?.devices.contains { $0.gpuIndex == device.index && $0.migDevice == nil } == true
                ? "  [visible to the job]" : ""
            lines.append("  GPU\(device.index)  \(device.name ?? "unknown")" + (device.uuid.map { "  \($0)" } ?? "") + mark)
            if let memory = device.memory {
                let reserved = memory.reserved.map { " · reserved \($0)" } ?? ""
                row("  memory", "\(memory.free) free of \(memory.total) · used \(memory.used)\(reserved)")
            } else if device.isUnifiedMemory {
                row("  memory", "unified: shares host memory")
            }
            var state: [String] = []
            if let utilization = device.utilization { state.append("util \(utilization.gpuPercent)% · mem \(utilization.memoryPercent)%") }
            if let temperature = device.temperatureCelsius { state.append("\(temperature) °C") }
            if let power = device.powerWatts {
                state.append("\(power.fixed(0)) W" + (device.powerLimitWatts.map { " of \($0.fixed(0)) W" } ?? ""))
            }
            if let ecc = device.eccEnabled { state.append("ECC \(ecc ? "on" : "off")") }
            if !state.isEmpty { row("  state", state.joined(separator: " · ")) }
            if let processes = device.processes {
                let list = processes.prefix(8).map { "\($0.pid) \($0.usedMemory?.description ?? "?")" }
                row("  processes", processes.isEmpty ? "none" : list.joined(separator: ", ") + (processes.count > 8 ? ", …" : ""))
            }
            if let note = device.attribution { row("  attribution", note) }
            if let mig = device.mig { migLines(mig, selection: selection) }
            for issue in device.issues { row("  unavailable", issue.description) }
        }
        for note in selection?.notes ?? [] { row("note", note) }
    }

    /// MIG mode, then one line per MIG device with its memory, marked where the job gets it.
    private mutating func migLines(_ mig: MIGState, selection: GPUSelection?) {
        let pending = mig.isChangePending ? " (\(mig.isPendingEnabled ? "on" : "off") after the next GPU reset)" : ""
        let count = mig.isEnabled ? " · \(mig.devices.count) MIG device\(mig.devices.count == 1 ? "" : "s")" : ""
        row("  MIG", "\(mig.isEnabled ? "on" : "off")\(pending)\(count)")
        for device in mig.devices {
            var parts = [device.profile ?? "MIG device \(device.index)"]
            if let gi = device.gpuInstanceID, let ci = device.computeInstanceID { parts.append("GI \(gi) CI \(ci)") }
            if let memory = device.memory { parts.append("\(memory.free) free of \(memory.total)") }
            if let uuid = device.uuid { parts.append(uuid) }
            let visible = device.uuid.map { selection?.includes(migDevice: $0) == true } ?? false
            row("    slice \(device.index)", parts.joined(separator: " · ") + (visible ? "  [visible to the job]" : ""))
        }
        for issue in mig.issues { row("  unavailable", "mig \(issue)") }
    }

    private mutating func recommendations() {
        let advice = report.recommendations
        section("Recommendations (\(advice.level.rawValue): plan for \((advice.safetyMargin * 100).fixed(0))% of free memory)")
        row("host RAM cap", advice.hostMemoryCap.description)
        row("threads", String(advice.threads))
        for gpu in advice.gpus {
            let slice = gpu.migDeviceUUID.map { _ in " MIG" } ?? ""
            row("GPU\(gpu.index)\(slice) limit", "\(gpu.memoryLimit) (fraction \(gpu.memoryFraction.fixed(2)) of \(gpu.total))")
        }
        for warning in advice.warnings { lines.append("  ! \(warning.message)") }
    }

    private mutating func settings() {
        let settings = report.settings
        section("Recommended settings (eval \"$(headroom env --level \(report.recommendations.level.rawValue))\")")
        for variable in settings.variables {
            lines.append("  \(variable.name)=\(EnvFormatter.shellQuoted(variable.value))")
        }
    }

    private mutating func problems() {
        guard !report.problems.isEmpty else { return }
        section("Could not read")
        for problem in report.problems { lines.append("  \(problem)") }
    }
}
