import HeadroomProbe
import Testing

@Suite("PIDNamespace: the host's PIDs or a namespace of its own")
struct PIDNamespaceTests {
    @Test("NSpid with two PIDs: nested, with the outer PID")
    func nspid() throws {
        try withFakeSystem(["/proc/self/status": "Name:\tpython\nNSpid:\t48213\t1\n"]) { tree in
            let namespace = PIDNamespace.detect(root: tree.root)
            #expect(!namespace.isHost)
            #expect(namespace.hostPID == 48213)
            #expect(namespace.evidence.contains("NSpid 48213 1"))
        }
    }

    @Test("/proc/1/sched naming PID 1 by the host's PID: not the host's init")
    func schedOfInit() throws {
        try withFakeSystem([
            "/proc/self/status": "Name:\tpython\nNSpid:\t7\n",
            "/proc/1/sched": "bash (12345, #threads: 1)\n-------------------\nse.exec_start : 1.0\n",
        ]) { tree in
            let namespace = PIDNamespace.detect(root: tree.root)
            #expect(!namespace.isHost)
            #expect(namespace.evidence.contains("12345"))
        }
    }

    @Test("a real procfs without kthreadd at PID 2: a container's namespace")
    func noKernelThreads() throws {
        try withFakeSystem([
            "/proc/1/sched": "python (1, #threads: 1)\n",
            "/proc/2/status": "Name:\tworker\nPPid:\t1\n",
        ]) { tree in
            let namespace = PIDNamespace.detect(root: tree.root)
            #expect(!namespace.isHost)
            #expect(namespace.evidence.contains("kthreadd"))
        }
    }

    @Test("kthreadd at PID 2 and PID 1 as itself: the host's; a Kubernetes cgroup is only a hint")
    func host() throws {
        try withFakeSystem([
            "/proc/self/status": "Name:\tpython\nNSpid:\t4242\n",
            "/proc/1/sched": "systemd (1, #threads: 1)\n",
            "/proc/2/status": "Name:\tkthreadd\nPPid:\t0\n",
            "/proc/1/cgroup": "0::/kubepods.slice/kubepods-pod1.slice\n",
        ]) { tree in
            let namespace = PIDNamespace.detect(root: tree.root)
            #expect(namespace.isHost)
            #expect(namespace.evidence.contains("Kubernetes"))
        }
    }

    @Test("no evidence at all (an empty tree, garbage files): the host's, no crash")
    func noEvidence() throws {
        try withFakeSystem(["/proc/self/status": "NSpid:\tx y\n", "/proc/1/sched": "((((\n"]) { tree in
            #expect(PIDNamespace.detect(root: tree.root).isHost == false)  // a sched file: a real procfs, no kthreadd
        }
        try withFakeSystem([:]) { tree in
            #expect(PIDNamespace.detect(root: tree.root).isHost)
        }
        #expect(PIDNamespace.detect().isHost || !PIDNamespace.detect().evidence.isEmpty)
    }
}
