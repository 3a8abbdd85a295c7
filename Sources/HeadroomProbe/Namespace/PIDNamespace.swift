/// Whether this process sees the host's process IDs, or those of a PID
/// namespace of its own (a container without `--pid=host`, `unshare --pid`).
///
/// NVML reports processes by their PIDs in the host's namespace. Where this
/// process runs in another one, a PID NVML gives names no process here (or the
/// wrong one), so GPU memory must be matched another way (see ``GPUAttributor``).
public struct PIDNamespace: Sendable, Hashable, Codable {
    /// Whether the PIDs here are the host's.
    public var isHost: Bool
    /// What the decision rests on, in words: the `NSpid` line, `/proc/1/sched`, the cgroup.
    public var evidence: String
    /// This process's PID in the outermost namespace its `NSpid` line shows (the
    /// host's, where `/proc` is the host's); `nil` where it shows one.
    public var hostPID: Int32?

    public init(isHost: Bool, evidence: String, hostPID: Int32? = nil) {
        self.isHost = isHost
        self.evidence = evidence
        self.hostPID = hostPID
    }

    /// The namespace of the process reading `root`'s `/proc`.
    ///
    /// Evidence, strongest first: more than one PID on the `NSpid` line of
    /// `/proc/self/status` (the process is nested); `/proc/1/sched` naming PID 1
    /// by another PID (older kernels print the host's); no kernel threads (the
    /// host's namespace always has kthreadd as PID 2); a container runtime in
    /// the cgroup path of PID 1 (a hint only, never enough alone: a container can
    /// share the host's PIDs). With no evidence either way, the host is assumed.
    public static func detect(root: SystemRoot = .live) -> PIDNamespace {
        var notes: [String] = []
        if let status = root.readIfPresent("/proc/self/status", limit: 8192) {
            if let pids = nspid(fromStatus: status) {
                if pids.count > 1 {
                    return PIDNamespace(isHost: false, evidence: "NSpid \(pids.map(String.init).joined(separator: " ")): nested PID namespace",
                                        hostPID: pids.first)
                }
                notes.append("NSpid lists one PID")
            } else {
                notes.append("no NSpid line")
            }
        }
        if let sched = root.readIfPresent("/proc/1/sched", limit: 512), let pid = schedPID(sched), pid != 1 {
            return PIDNamespace(isHost: false, evidence: "/proc/1/sched names PID 1 as \(pid): not the host's init")
        }
        // The host's namespace shows the kernel's threads, kthreadd always PID 2; a
        // container's shows none. Asked only of a real procfs (one with sched files).
        let kthreadd = root.readIfPresent("/proc/2/status", limit: 4096)?.lines.first { $0.hasPrefix("Name:") }?
            .dropFirst(5).trimmingWhitespace() == "kthreadd"
        if kthreadd {
            notes.append("kthreadd is PID 2")
        } else if root.exists("/proc/1/sched") || root.exists("/proc/self/ns/pid") {
            return PIDNamespace(isHost: false, evidence: "no kernel threads: PID 2 is not kthreadd, so PIDs are not the host's")
        }
        if let cgroup = root.readIfPresent("/proc/1/cgroup", limit: 8192), let runtime = containerRuntime(inCgroup: cgroup) {
            notes.append("PID 1's cgroup is \(runtime)'s, PIDs may still be the host's")
        }
        return PIDNamespace(isHost: true, evidence: notes.isEmpty ? "no sign of a PID namespace" : notes.joined(separator: "; "))
    }

    /// The PIDs of the `NSpid:` line of a `status` file, outermost namespace first.
    static func nspid(fromStatus status: String) -> [Int32]? {
        guard let line = status.lines.first(where: { $0.hasPrefix("NSpid:") }) else { return nil }
        let pids = line.dropFirst(6).words.compactMap { Int32($0) }
        return pids.isEmpty ? nil : pids
    }

    /// The PID in the first line of a `sched` file: `python (12345, #threads: 1)`.
    static func schedPID(_ sched: String) -> Int32? {
        guard let first = sched.lines.first, let open = first.lastIndex(of: "(") else { return nil }
        let rest = first[first.index(after: open)...]
        return Int32(rest.prefix { $0.isASCII && $0.isNumber })
    }

    /// A container runtime named in a `cgroup` file's paths, or `nil`.
    static func containerRuntime(inCgroup cgroup: String) -> String? {
        for (marker, name) in [("kubepods", "Kubernetes"), ("docker", "Docker"), ("containerd", "containerd"),
                               ("crio", "CRI-O"), ("libpod", "Podman"), ("lxc", "LXC")] where cgroup.contains(marker) {
            return name
        }
        return nil
    }
}
