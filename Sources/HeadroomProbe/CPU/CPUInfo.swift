/// How many CPUs a process can use: logical, physical, and what its cgroup quota allows.
public struct CPUInfo: Sendable, Hashable, Codable {
    /// Online logical CPUs (hardware threads).
    public var logical: Int
    /// Physical cores; `nil` where the topology is not exposed.
    public var physical: Int?
    /// CPUs this process may run on (its affinity mask, `Cpus_allowed_list`).
    public var allowed: Int?
    /// The cgroup CPU quota in CPUs (quota ÷ period), such as 2.5; `nil` without a quota.
    public var quota: Double?

    /// The CPUs a workload can keep busy: the lowest of logical, allowed and the
    /// quota (rounded up, since a quota of 2.5 CPUs keeps three threads 83% busy), at least 1.
    public private(set) var effective: Int

    public init(logical: Int, physical: Int?, allowed: Int?, quota: Double?) {
        self.logical = logical
        self.physical = physical
        self.allowed = allowed
        self.quota = quota
        var count = logical
        if let allowed, allowed > 0 { count = min(count, allowed) }
        if let quota, quota > 0, quota < Double(Int32.max) { count = min(count, Int(quota.rounded(.up))) }
        effective = max(1, count)
    }
}
