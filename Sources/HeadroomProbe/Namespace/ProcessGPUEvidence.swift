/// What a process's `/proc` files say that ties it to NVML's entries when the
/// PIDs do not: the GPU device files it holds open and, on kernels that print
/// it, its PID in the host's namespace.
struct ProcessGPUEvidence: Sendable, Hashable {
    /// The minor numbers of the `/dev/nvidiaN` files the process holds open;
    /// `nil` where its `fd` directory lists nothing: unreadable (another user's process) or gone.
    var deviceMinors: Set<Int>?
    /// The PID `/proc/<pid>/sched` gives, where it differs from `pid`: the host's, which
    /// kernels before 4.14 print there.
    var hostPID: Int32?

    /// The most descriptors looked at in one process: a bound on the work, not on correctness
    /// (CUDA opens its device files early, among the first descriptors).
    static let descriptorLimit = 4096

    /// Reads process `pid`'s evidence under `root`. A process that vanishes reads as no evidence.
    static func read(pid: Int32, root: SystemRoot) -> ProcessGPUEvidence {
        var evidence = ProcessGPUEvidence()
        let directory = "/proc/\(pid)/fd"
        let names = root.list(directory)
        if !names.isEmpty {
            var minors: Set<Int> = []
            for name in names.prefix(descriptorLimit) {
                if let target = root.readLink("\(directory)/\(name)"), let minor = deviceMinor(ofPath: target) {
                    minors.insert(minor)
                }
            }
            evidence.deviceMinors = minors
        }
        if let sched = root.readIfPresent("/proc/\(pid)/sched", limit: 512), let shown = PIDNamespace.schedPID(sched), shown != pid {
            evidence.hostPID = shown
        }
        return evidence
    }

    /// `N` of `/dev/nvidiaN`; `nil` for anything else (`/dev/nvidiactl`, `/dev/nvidia-uvm`, sockets, files).
    static func deviceMinor(ofPath path: String) -> Int? {
        guard path.hasPrefix("/dev/nvidia") else { return nil }
        let digits = path.dropFirst("/dev/nvidia".count)
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}
