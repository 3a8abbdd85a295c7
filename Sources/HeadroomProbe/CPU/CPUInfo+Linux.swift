#if os(Linux)
extension CPUInfo {
    /// Reads CPU counts under `root` from `/sys/devices/system/cpu`, `/proc/cpuinfo`,
    /// `/proc/self/status` and the process's CPU cgroup.
    public static func read(pid: String = "self", root: SystemRoot = .live) -> CPUInfo {
        // /proc/cpuinfo is large on big machines: read it only where /sys lacks the answer.
        let cpuinfo = { root.readIfPresent("/proc/cpuinfo", limit: 8 << 20) }
        let logical = root.readIfPresent("/sys/devices/system/cpu/online").flatMap(TextParsing.cpuListCount)
            ?? cpuinfo().map { text in text.lines.filter { $0.hasPrefix("processor") }.count }
            ?? 1
        let status = root.readIfPresent("/proc/\(pid)/status").map { text in
            text.lines.first { $0.hasPrefix("Cpus_allowed_list:") }
        }
        let allowed = status.flatMap { line in line.flatMap { TextParsing.cpuListCount(String($0.dropFirst(18))) } }
        return CPUInfo(logical: max(1, logical), physical: physicalCores(root: root, cpuinfo: cpuinfo),
                       allowed: allowed, quota: quota(pid: pid, root: root))
    }

    /// Distinct sibling sets in the topology, or distinct (physical id, core id) pairs in cpuinfo.
    static func physicalCores(root: SystemRoot, cpuinfo: () -> String?) -> Int? {
        let base = "/sys/devices/system/cpu"
        var siblings = Set<String>()
        for name in root.list(base) where name.hasPrefix("cpu") && name.dropFirst(3).allSatisfy(\.isNumber) && name.count > 3 {
            let dir = "\(base)/\(name)/topology"
            if let set = root.readIfPresent("\(dir)/core_cpus_list") ?? root.readIfPresent("\(dir)/thread_siblings_list") {
                siblings.insert(set.trimmingWhitespace())
            }
        }
        if !siblings.isEmpty { return siblings.count }
        guard let cpuinfo = cpuinfo() else { return nil }
        var cores = Set<String>()
        var physicalID = ""
        for line in cpuinfo.lines {
            let parts = line.split(ascii: ":", maxSplits: 1).map { $0.trimmingWhitespace() }
            guard parts.count == 2 else { continue }
            if parts[0] == "physical id" { physicalID = parts[1] }
            if parts[0] == "core id" { cores.insert(physicalID + "/" + parts[1]) }
        }
        return cores.isEmpty ? nil : cores.count
    }

    /// The lowest quota ÷ period up the CPU cgroup's ancestry (v2 `cpu.max`, v1 `cpu.cfs_quota_us`).
    static func quota(pid: String, root: SystemRoot) -> Double? {
        guard let hierarchy = CgroupHierarchy.find(controller: "cpu", pid: pid, root: root) else { return nil }
        var lowest: Double?
        for dir in hierarchy.ancestry {
            var quota: Double?
            var period: Double?
            switch hierarchy.version {
            case .v2:
                let parts = hierarchy.value("cpu.max", in: dir, root: root)?.words ?? []
                if parts.count == 2 { quota = Double(parts[0]); period = Double(parts[1]) }
            case .v1:
                quota = hierarchy.value("cpu.cfs_quota_us", in: dir, root: root).flatMap { Double($0) }
                period = hierarchy.value("cpu.cfs_period_us", in: dir, root: root).flatMap { Double($0) }
            }
            if let quota, let period, quota > 0, period > 0 {
                lowest = min(lowest ?? .infinity, quota / period)
            }
        }
        return lowest
    }
}
#endif
