#if os(Linux)
extension ContainerMemory {
    /// Reads the memory cgroup of process `pid` (default: this process) under `root`.
    ///
    /// Returns `nil` when no memory cgroup is mounted. A cgroup without any
    /// limit is still returned (its ``limit`` is `nil`), with its use and peak.
    public static func read(pid: String = "self", root: SystemRoot = .live) -> ContainerMemory? {
        CgroupHierarchy.find(controller: "memory", pid: pid, root: root).map { read(hierarchy: $0, root: root) }
    }

    /// Reads a memory cgroup found before: a sampler finds the hierarchy once
    /// (parsing `mountinfo`) and reads only the cgroup's files at each sample.
    public static func read(hierarchy: CgroupHierarchy, root: SystemRoot = .live) -> ContainerMemory {
        switch hierarchy.version {
        case .v2: return readV2(hierarchy, root: root)
        case .v1: return readV1(hierarchy, root: root)
        }
    }

    private static func lowestLimit(_ hierarchy: CgroupHierarchy, files: [String], root: SystemRoot)
        -> (ByteCount, String)? {
        var best: (ByteCount, String)?
        for dir in hierarchy.ancestry {
            for file in files {
                if let limit = parseLimit(hierarchy.value(file, in: dir, root: root)), limit < best?.0 ?? ByteCount(.max) {
                    best = (limit, dir)
                }
            }
        }
        return best
    }

    private static func readV2(_ hierarchy: CgroupHierarchy, root: SystemRoot) -> ContainerMemory {
        let limit = lowestLimit(hierarchy, files: ["memory.max"], root: root)
        let high = hierarchy.ancestry.compactMap { parseLimit(hierarchy.value("memory.high", in: $0, root: root)) }.min()
        let stat = hierarchy.value("memory.stat", root: root).map(TextParsing.spaceFields) ?? [:]
        let events = hierarchy.value("memory.events", root: root).map(TextParsing.spaceFields) ?? [:]
        let charged = hierarchy.value("memory.current", root: root).flatMap { Int64($0) }.map { ByteCount($0) }
        let inactive = stat["inactive_file"].map { ByteCount($0) }
        return ContainerMemory(
            version: .v2, cgroupPath: hierarchy.cgroupPath, limit: limit?.0, limitSource: limit?.1, high: high,
            usage: charged.map { ($0 - (inactive ?? .zero)).clampedToZero }, charged: charged, inactiveFile: inactive,
            peak: hierarchy.value("memory.peak", root: root).flatMap { Int64($0) }.map { ByteCount($0) },
            oomKills: events["oom_kill"], limitHits: events["oom"],
            pressure: hierarchy.value("memory.pressure", root: root).flatMap(MemoryPressure.init(parsing:)))
    }

    private static func readV1(_ hierarchy: CgroupHierarchy, root: SystemRoot) -> ContainerMemory {
        let stat = hierarchy.value("memory.stat", root: root).map(TextParsing.spaceFields) ?? [:]
        var limit = lowestLimit(hierarchy, files: ["memory.limit_in_bytes"], root: root)
        // hierarchical_memory_limit already folds in ancestors the mount may not show.
        if let hierarchical = parseLimit(stat["hierarchical_memory_limit"].map(String.init)),
           hierarchical < limit?.0 ?? ByteCount(.max) {
            limit = (hierarchical, hierarchy.directory)
        }
        let oomControl = hierarchy.value("memory.oom_control", root: root).map(TextParsing.spaceFields) ?? [:]
        let charged = hierarchy.value("memory.usage_in_bytes", root: root).flatMap { Int64($0) }.map { ByteCount($0) }
        let inactive = (stat["total_inactive_file"] ?? stat["inactive_file"]).map { ByteCount($0) }
        return ContainerMemory(
            version: .v1, cgroupPath: hierarchy.cgroupPath, limit: limit?.0, limitSource: limit?.1,
            high: parseLimit(hierarchy.value("memory.soft_limit_in_bytes", root: root)),
            usage: charged.map { ($0 - (inactive ?? .zero)).clampedToZero }, charged: charged, inactiveFile: inactive,
            peak: hierarchy.value("memory.max_usage_in_bytes", root: root).flatMap { Int64($0) }.map { ByteCount($0) },
            oomKills: oomControl["oom_kill"],
            limitHits: hierarchy.value("memory.failcnt", root: root).flatMap { Int64($0) },
            pressure: nil)
    }
}
#endif
