/// One process of the watched tree at one moment.
public struct ProcessSample: Sendable, Hashable, Codable {
    public var pid: Int32
    /// The process it was found under; `nil` for the root.
    public var parentPID: Int32?
    public var name: String
    public var rss: ByteCount
    /// Proportional set size, where it was asked for and readable.
    public var pss: ByteCount?
    /// GPU memory NVML attributes to the process, summed over GPUs.
    public var gpuMemory: ByteCount?
    /// The highest RSS the process has reached (`VmHWM`), where it was read (the tree's root):
    /// it holds peaks that came and went between two samples.
    public var peakRSS: ByteCount?

    public init(pid: Int32, parentPID: Int32?, name: String, rss: ByteCount, pss: ByteCount? = nil,
                gpuMemory: ByteCount? = nil) {
        self.pid = pid
        self.parentPID = parentPID
        self.name = name
        self.rss = rss
        self.pss = pss
        self.gpuMemory = gpuMemory
    }

    enum CodingKeys: String, CodingKey {
        case pid, parentPID, name, rss = "rssBytes", pss = "pssBytes", gpuMemory = "gpuMemoryBytes", peakRSS = "peakRSSBytes"
    }
}
