import HeadroomProbe
import Testing

@Suite("WorkloadIdentity: pods, containers and Slurm jobs from cgroup paths")
struct WorkloadIdentityTests {
    static let uid = "0b7a1c2d-1111-2222-3333-444455556666"
    static let systemdUID = "0b7a1c2d_1111_2222_3333_444455556666"
    static let id = "3f1e0c9a8b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f"

    @Test("kubelet's systemd driver: containerd, CRI-O and Docker scopes; the UID with dashes", arguments: [
        "cri-containerd", "crio", "docker",
    ])
    func systemdDriver(runtime: String) {
        let path = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod\(Self.systemdUID).slice/\(runtime)-\(Self.id).scope"
        let identity = WorkloadIdentity.parse(path: path)
        #expect(identity == WorkloadIdentity(podUID: Self.uid, containerID: Self.id))
    }

    @Test("kubelet's systemd driver, guaranteed class (no class slice)")
    func systemdGuaranteed() {
        let path = "/kubepods.slice/kubepods-pod\(Self.systemdUID).slice/cri-containerd-\(Self.id).scope"
        #expect(WorkloadIdentity.parse(path: path) == WorkloadIdentity(podUID: Self.uid, containerID: Self.id))
    }

    @Test("kubelet's cgroupfs driver: burstable, besteffort and guaranteed", arguments: [
        "/kubepods/burstable/pod\(uid)/\(id)", "/kubepods/besteffort/pod\(uid)/\(id)", "/kubepods/pod\(uid)/\(id)",
    ])
    func cgroupfsDriver(path: String) {
        #expect(WorkloadIdentity.parse(path: path) == WorkloadIdentity(podUID: Self.uid, containerID: Self.id))
    }

    @Test("a pod's own cgroup, before a container: the UID alone")
    func podOnly() {
        #expect(WorkloadIdentity.parse(path: "/kubepods/burstable/pod\(Self.uid)") == WorkloadIdentity(podUID: Self.uid))
    }

    @Test("cgroup v1 lines: the first that names something")
    func cgroupV1File() {
        let file = """
            12:pids:/
            11:memory:/kubepods/burstable/pod\(Self.uid)/\(Self.id)
            10:cpu,cpuacct:/kubepods/burstable/pod\(Self.uid)/\(Self.id)
            1:name=systemd:/
            """
        #expect(WorkloadIdentity.parse(cgroupFile: file) == WorkloadIdentity(podUID: Self.uid, containerID: Self.id))
    }

    @Test("Slurm: v2 slurmstepd scope and v1 hierarchy", arguments: [
        "0::/system.slice/slurmstepd.scope/job_1234/step_0/user/task_0",
        "4:memory:/slurm/uid_1000/job_1234/step_batch",
    ])
    func slurm(line: String) {
        #expect(WorkloadIdentity.parse(cgroupFile: line + "\n") == WorkloadIdentity(slurmJob: "1234"))
    }

    @Test("a Docker container outside Kubernetes: the container ID")
    func plainDocker() {
        #expect(WorkloadIdentity.parse(cgroupFile: "0::/system.slice/docker-\(Self.id).scope\n") == WorkloadIdentity(containerID: Self.id))
        #expect(WorkloadIdentity.parse(cgroupFile: "0::/docker/\(Self.id)\n") == WorkloadIdentity(containerID: Self.id))
        #expect(WorkloadIdentity.parse(cgroupFile: "0::/system.slice/\(Self.id)\n") == nil)
    }

    @Test("paths that name nothing, or nearly: nil, never a wrong ID", arguments: [
        "0::/", "0::/user.slice/user-1000.slice/session-2.scope", "0::/kubepods/burstable/podnot-a-uid/abc",
        "0::/system.slice/job_x/step_0", "garbage", "", "::::", "0::/kubepods/burstable/pod\(uid)x/\(id)0",
    ])
    func nothing(file: String) {
        let identity = WorkloadIdentity.parse(cgroupFile: file)
        #expect(identity?.containerID == nil)
        #expect(identity?.podUID == nil || file.contains("pod\(Self.uid)/"))
        #expect(identity?.slurmJob == nil)
    }

    @Test("names from a file: the container's entry over the pod's")
    func names() throws {
        let names = try WorkloadNames.parse(lines: """
            # pod UID, systemd spelling
            \(Self.systemdUID)  ml/trainer-0
            \(Self.id) ml/trainer-0/main
            """)
        let identity = WorkloadIdentity(podUID: Self.uid, containerID: Self.id)
        #expect(names.name(for: identity) == WorkloadName(namespace: "ml", pod: "trainer-0", container: "main"))
        #expect(names.name(for: WorkloadIdentity(podUID: Self.uid)) == WorkloadName(namespace: "ml", pod: "trainer-0"))
        #expect(names.name(for: WorkloadIdentity(slurmJob: "1")) == nil)
        #expect(throws: ProbeError.self) { try WorkloadNames.parse(lines: "\(Self.uid) no-slash\n") }
    }
}
