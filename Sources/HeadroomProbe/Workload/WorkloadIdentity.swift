/// Which Kubernetes pod and container, or which Slurm job, a process belongs
/// to, as its cgroup path tells it. Nothing is asked of the API server.
public struct WorkloadIdentity: Sendable, Hashable, Codable {
    /// The pod's UID with dashes (`0b7a1c2d-…`), also where systemd's layout writes underscores.
    public var podUID: String?
    /// The container's ID: 64 hex digits (containerd, CRI-O, Docker).
    public var containerID: String?
    /// The Slurm job's ID.
    public var slurmJob: String?

    public init(podUID: String? = nil, containerID: String? = nil, slurmJob: String? = nil) {
        self.podUID = podUID
        self.containerID = containerID
        self.slurmJob = slurmJob
    }

    /// Whether the path said nothing.
    public var isEmpty: Bool { podUID == nil && containerID == nil && slurmJob == nil }

    /// Reads `/proc/<pid>/cgroup` under `root`; `nil` where it is gone or names no pod, container or job.
    public static func read(pid: Int32, root: SystemRoot = .live) -> WorkloadIdentity? {
        root.readIfPresent("/proc/\(pid)/cgroup", limit: 16384).flatMap(parse(cgroupFile:))
    }

    /// The identity in a `/proc/<pid>/cgroup` file: its v2 line (`0::/…`) or v1 lines
    /// (`12:memory:/kubepods/…`), whichever names something first.
    public static func parse(cgroupFile text: String) -> WorkloadIdentity? {
        for line in text.lines {
            // hierarchy-ID:controllers:path; the path may itself hold colons.
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let identity = parse(path: parts[2]) else { continue }
            return identity
        }
        return nil
    }

    /// The identity in one cgroup path; `nil` where it names none.
    ///
    /// Kubelet's systemd driver: `…/kubepods-burstable-pod<uid_with_underscores>.slice/cri-containerd-<id>.scope`
    /// (also `crio-<id>.scope`, `docker-<id>.scope`); its cgroupfs driver:
    /// `/kubepods/burstable/pod<uid>/<id>`. Docker and Podman outside Kubernetes:
    /// `docker-<id>.scope`, `libpod-<id>.scope`, `/docker/<id>`. Slurm: `…/job_<N>/step_<S>` (v2) and
    /// `/slurm/uid_<U>/job_<N>/step_<S>` (v1).
    public static func parse<Path: StringProtocol>(path: Path) -> WorkloadIdentity? {
        var identity = WorkloadIdentity()
        let components = String(path).split(separator: "/")
        let inKubepods = components.contains { $0.hasPrefix("kubepods") }
        var parent: Substring = ""
        for component in components {
            defer { parent = component }
            if inKubepods, let uid = podUID(in: component) { identity.podUID = uid }
            // Outside Kubernetes, only where a runtime names it: `docker-<id>.scope`, `/docker/<id>`.
            let named = component.hasSuffix(".scope") && runtimes.contains { component.hasPrefix($0 + "-") }
            if inKubepods || named || parent == "docker", let id = containerID(in: component) { identity.containerID = id }
            if component.hasPrefix("job_") {
                let job = component.dropFirst(4)
                if !job.isEmpty, job.allSatisfy({ $0.isASCII && $0.isNumber }) { identity.slurmJob = String(job) }
            }
        }
        return identity.isEmpty ? nil : identity
    }

    /// The runtimes whose systemd scopes are named `<runtime>-<id>.scope`.
    static let runtimes = ["cri-containerd", "crio", "docker", "libpod"]

    /// `pod<uid>` (cgroupfs) or `kubepods-<class>-pod<uid_>.slice` (systemd).
    static func podUID<Component: StringProtocol>(in component: Component) -> String? {
        var name = Substring(component)
        if name.hasSuffix(".slice") { name = name.dropLast(6) }
        if !name.hasPrefix("pod") {
            guard let last = name.split(separator: "-").last, last.hasPrefix("pod") else { return nil }
            name = last
        }
        let uid = String(name.dropFirst(3).map { $0 == "_" ? "-" : $0 })
        guard uid.count == 36, uid.allSatisfy({ $0 == "-" || $0.isHexDigit }) else { return nil }
        return uid.lowercased()
    }

    /// A 64-hex-digit ID, bare (cgroupfs) or as `<runtime>-<id>.scope` (systemd).
    static func containerID<Component: StringProtocol>(in component: Component) -> String? {
        var name = Substring(component)
        if name.hasSuffix(".scope") { name = name.dropLast(6) }
        let id = name.split(separator: "-").last ?? name
        guard id.count == 64, id.allSatisfy(\.isHexDigit) else { return nil }
        return String(id).lowercased()
    }
}

/// A record of one process that carries its pod, container and Slurm job as three fields.
public protocol CarriesWorkload {
    var podUID: String? { get set }
    var containerID: String? { get set }
    var slurmJob: String? { get set }
}

extension CarriesWorkload {
    /// The pod, container and Slurm job, together; `nil` where the cgroup path named none.
    public var workload: WorkloadIdentity? {
        get {
            let identity = WorkloadIdentity(podUID: podUID, containerID: containerID, slurmJob: slurmJob)
            return identity.isEmpty ? nil : identity
        }
        set {
            podUID = newValue?.podUID
            containerID = newValue?.containerID
            slurmJob = newValue?.slurmJob
        }
    }
}
