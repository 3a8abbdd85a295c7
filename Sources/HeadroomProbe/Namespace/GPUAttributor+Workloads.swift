extension GPUAttributor {
    /// Gives each GPU process its pod UID, container ID or Slurm job, from the cgroup
    /// path of the process here: NVML's own PID where the namespaces agree (a
    /// `hostPID` exporter sees every container's processes), else the tree process it
    /// was matched to. Run ``attribute(_:tree:)`` first for the matches. Entries whose
    /// process is gone, or not visible here, stay without one.
    public func identifyWorkloads(_ devices: inout [GPUDevice]) {
        var known: [Int32: WorkloadIdentity?] = [:]
        for d in devices.indices {
            guard var entries = devices[d].processes else { continue }
            for e in entries.indices {
                guard let pid = namespace.isHost ? entries[e].pid : entries[e].matchedPID else { continue }
                if known[pid] == nil { known[pid] = WorkloadIdentity.read(pid: pid, root: root) }
                entries[e].workload = known[pid] ?? nil
            }
            devices[d].processes = entries
        }
    }
}
