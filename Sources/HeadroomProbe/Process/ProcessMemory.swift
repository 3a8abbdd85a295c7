/// One process's memory: resident set, its peak, swap and proportional share.
public struct ProcessMemory: Sendable, Hashable, Codable {
    public var pid: Int32
    public var parentPID: Int32?
    /// The command name the kernel keeps (`comm`, at most 15 characters).
    public var name: String
    /// Resident set size (`VmRSS`): pages in RAM, shared ones counted in full.
    public var rss: ByteCount
    /// The highest RSS the process reached (`VmHWM`).
    public var peakRSS: ByteCount
    /// Memory of the process swapped out (`VmSwap`).
    public var swap: ByteCount
    /// Proportional set size from `smaps_rollup`: shared pages divided among
    /// their sharers, so a tree's PSS adds up without double counting. `nil`
    /// where the file is unreadable (another user's process, older kernels).
    public var pss: ByteCount?

    enum CodingKeys: String, CodingKey {
        case pid, parentPID, name, rss = "rssBytes", peakRSS = "peakRSSBytes", swap = "swapBytes", pss = "pssBytes"
    }
}

/// A process and all its descendants, with totals.
public struct ProcessTreeMemory: Sendable, Hashable, Codable {
    /// The process the tree starts from.
    public var root: ProcessMemory
    /// The root and every descendant, root first, in breadth-first order.
    public var processes: [ProcessMemory]
    /// Sum of RSS over the tree (shared pages counted once per process).
    public private(set) var totalRSS: ByteCount
    /// Sum of PSS over the processes where it was readable.
    public private(set) var totalPSS: ByteCount?

    public init(root: ProcessMemory, processes: [ProcessMemory]) {
        self.root = root
        self.processes = processes
        totalRSS = processes.reduce(.zero) { $0 + $1.rss }
        let known = processes.compactMap(\.pss)
        totalPSS = known.isEmpty ? nil : known.reduce(.zero, +)
    }

    enum CodingKeys: String, CodingKey {
        case root, processes, totalRSS = "totalRSSBytes", totalPSS = "totalPSSBytes"
    }
}
