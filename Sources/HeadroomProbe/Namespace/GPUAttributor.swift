/// Matches NVML's per-GPU processes, which carry host PIDs, to a process tree
/// read from this namespace's `/proc`.
///
/// Three ways, in order:
/// 1. By PID, where the namespaces agree (``PIDNamespace/isHost``). In another
///    namespace a PID is believed only with evidence: `/proc/<pid>/sched` giving
///    the host PID (older kernels), or the same PID holding that GPU's device file.
/// 2. Through device files: the entries on GPU *N* that no PID matched, and the
///    processes of the tree holding `/dev/nvidiaN` open (N is the GPU's minor
///    number). One entry and one holder is a match; anything else is ambiguous.
/// 3. Otherwise the GPU's ``GPUDevice/attribution`` says how much memory could not
///    be attributed and why, with the bytes in ``GPUDevice/unattributed``: never a silent zero.
public struct GPUAttributor: Sendable {
    public var namespace: PIDNamespace
    public var root: SystemRoot

    public init(namespace: PIDNamespace, root: SystemRoot = .live) {
        self.namespace = namespace
        self.root = root
    }

    /// Marks the entries of `devices` that belong to the tree (``GPUProcess/matchedPID``),
    /// notes what could not be attributed, and returns each tree process's GPU memory,
    /// summed over GPUs, by its PID here. Processes that vanish while their files are
    /// read count as holding nothing.
    public func attribute(_ devices: inout [GPUDevice], tree pids: [Int32]) -> [Int32: ByteCount] {
        let inTree = Set(pids)
        var byPID: [Int32: ByteCount] = [:]
        var evidenceCache: [Int32: ProcessGPUEvidence] = [:]
        func evidence(_ pid: Int32) -> ProcessGPUEvidence {
            if let known = evidenceCache[pid] { return known }
            let read = ProcessGPUEvidence.read(pid: pid, root: root)
            evidenceCache[pid] = read
            return read
        }
        func treePID(forHost host: Int32) -> Int32? {
            pids.first { evidence($0).hostPID == host }
        }
        for d in devices.indices {
            guard var entries = devices[d].processes, !entries.isEmpty else { continue }
            let minor = devices[d].minorNumber
            func holds(_ pid: Int32) -> Bool { minor.map { evidence(pid).deviceMinors?.contains($0) == true } ?? false }
            for e in entries.indices {
                let pid = entries[e].pid
                if namespace.isHost {
                    if inTree.contains(pid) { entries[e].matchedPID = pid }
                } else if let here = treePID(forHost: pid) {
                    entries[e].matchedPID = here
                } else if inTree.contains(pid), holds(pid) {
                    entries[e].matchedPID = pid
                }
            }
            if !namespace.isHost {
                let note = matchThroughDeviceFiles(&entries, device: devices[d], tree: pids, holds: holds)
                devices[d].attribution = note.text
                devices[d].unattributed = note.bytes
            }
            for entry in entries {
                guard let here = entry.matchedPID, let used = entry.usedMemory else { continue }
                byPID[here] = (byPID[here] ?? .zero) + used
            }
            devices[d].processes = entries
        }
        return byPID
    }

    /// Step 2 and 3 for one GPU: the unmatched entries against the tree's holders of its device file.
    private func matchThroughDeviceFiles(_ entries: inout [GPUProcess], device: GPUDevice, tree pids: [Int32],
                                         holds: (Int32) -> Bool) -> (text: String?, bytes: ByteCount?) {
        let unmatched = entries.indices.filter { entries[$0].matchedPID == nil }
        guard !unmatched.isEmpty else { return (nil, nil) }
        let label = "GPU\(device.index)"
        let matched = Set(entries.compactMap(\.matchedPID))
        let holders = device.minorNumber == nil ? [] : pids.filter { !matched.contains($0) && holds($0) }
        let file = device.minorNumber.map { "/dev/nvidia\($0)" } ?? "its device file"
        if unmatched.count == 1, holders.count == 1 {
            entries[unmatched[0]].matchedPID = holders[0]
            return ("\(label): host PID \(entries[unmatched[0]].pid) matched to PID \(holders[0]), the one process of the tree holding \(file)", nil)
        }
        let known = unmatched.compactMap { entries[$0].usedMemory }
        let bytes = known.reduce(ByteCount.zero, +)
        let amount = known.count == unmatched.count ? "\(bytes)" : "\(bytes) or more"
        let why: String
        if device.minorNumber == nil {
            why = "NVML gives no minor number to match device files with"
        } else if holders.isEmpty {
            why = "no process of the tree holds \(file)"
        } else {
            why = "\(unmatched.count) NVML entr\(unmatched.count == 1 ? "y" : "ies") and \(holders.count) processes of the tree holding \(file)"
        }
        return ("\(label): \(amount) held by processes outside this PID namespace; cannot attribute (\(why))", bytes)
    }
}
