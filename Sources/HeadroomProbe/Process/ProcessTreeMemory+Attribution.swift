extension ProcessTreeMemory {
    /// Gives each process its GPU memory (matched to `devices` by `attributor`) and
    /// its pod, container or Slurm job from `/proc/<pid>/cgroup` under `root`; the
    /// GPU processes get theirs too (``GPUAttributor/identifyWorkloads(_:)``).
    /// A process that vanished since the tree was read keeps what it had.
    public mutating func attribute(_ devices: inout [GPUDevice], with attributor: GPUAttributor, root: SystemRoot) {
        let byPID = attributor.attribute(&devices, tree: processes.map(\.pid))
        attributor.identifyWorkloads(&devices)
        for index in processes.indices {
            let pid = processes[index].pid
            processes[index].gpuMemory = byPID[pid]
            processes[index].workload = WorkloadIdentity.read(pid: pid, root: root)
        }
        if let first = processes.first, first.pid == self.root.pid { self.root = first }
    }
}
