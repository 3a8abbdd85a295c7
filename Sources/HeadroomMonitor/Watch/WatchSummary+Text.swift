extension WatchSummary {
    /// The summary as lines for people: `peak tree RSS  3.1 GiB at 00:42`.
    public var lines: [(label: String, value: String)] {
        func at(_ peak: Peak) -> String { "\(peak.bytes) at \(StatusLine.clock(peak.time))" }
        var lines: [(String, String)] = [("duration", "\(StatusLine.clock(seconds)) (\(samples) sample\(samples == 1 ? "" : "s"))")]
        if let peakTreeRSS {
            let processes = peakProcesses == 1 ? "1 process" : "\(peakProcesses) processes at most"
            if let sampled = sampledPeakTreeRSS {
                lines.append(("peak tree RSS", "\(peakTreeRSS.bytes), the kernel's high-water mark; sampling saw \(sampled) (\(processes))"))
            } else {
                lines.append(("peak tree RSS", at(peakTreeRSS) + " (\(processes))"))
            }
        }
        if let kernelPeakRSS { lines.append(("peak RSS, kernel", "\(kernelPeakRSS) (the largest single process: wait4, or the root's VmHWM)")) }
        if let peakTreePSS { lines.append(("peak tree PSS", at(peakTreePSS))) }
        for gpu in gpus {
            let name = gpu.name.map { " \($0)" } ?? ""
            lines.append(("peak VRAM GPU\(gpu.index)", "tree \(at(gpu.treeUsed)); device \(at(gpu.deviceUsed)) of \(gpu.total)\(name)"))
            if let unattributed = gpu.unattributed {
                lines.append(("  unattributed", "up to \(at(unattributed)): outside this PID namespace, not counted for the tree"))
            }
            if let note = gpu.attribution { lines.append(("  attribution", note)) }
        }
        if let peakContainerUsage {
            let limit = containerLimit.map { " of \($0)" } ?? ""
            lines.append(("peak container", at(peakContainerUsage) + limit))
        }
        // Shown inside a limited container, or wherever the cgroup counted a kill.
        if let containerOOMKills, containerLimit != nil || containerOOMKills > 0 {
            lines.append(("container OOM kills", "\(containerOOMKills) during the run"))
        }
        if let cpuSeconds { lines.append(("CPU time", "\(cpuSeconds.fixed(1)) s")) }
        if let leak {
            let verdict = leak.isLeak
                ? "leak: +\(leak.growthPerMinute)/min (confidence \((leak.confidence * 100).fixed(1))%)"
                : "no leak: \(leak.reason)"
            lines.append(("leak check", verdict))
        }
        if let exitStatus { lines.append(("exit", "status \(exitStatus)")) }
        if let signal { lines.append(("exit", "killed by signal \(signal)")) }
        return lines
    }
}
