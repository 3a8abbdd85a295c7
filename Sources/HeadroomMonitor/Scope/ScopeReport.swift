/// What a ``MemoryScope`` saw: this process's memory before, after and at its peak.
public struct ScopeReport: Sendable, Hashable, Codable {
    public var name: String
    /// The names of the enclosing scopes and this one: `["epoch", "decode"]`.
    public var path: [String]
    public var seconds: Double
    /// This process's RSS.
    public var rssBefore: ByteCount
    public var rssAfter: ByteCount
    public var rssPeak: ByteCount
    /// This process's GPU memory (all GPUs), where a GPU backend was given and reports it.
    public var gpuBefore: ByteCount?
    public var gpuAfter: ByteCount?
    public var gpuPeak: ByteCount?
    /// GPU memory that could not be matched to this process (another PID namespace, an ambiguous device file), in words.
    public var gpuAttribution: [String] = []
    /// Scopes measured inside this one, in the order they ended.
    public var children: [ScopeReport]

    /// RSS after minus before: what the scope left behind.
    public var rssRetained: Int64 { rssAfter.bytes - rssBefore.bytes }
    /// Peak minus before: what the scope needed at most.
    public var rssPeakIncrease: ByteCount { ByteCount(max(0, rssPeak.bytes - rssBefore.bytes)) }

    enum CodingKeys: String, CodingKey {
        case name, path, seconds, rssBefore = "rssBeforeBytes", rssAfter = "rssAfterBytes", rssPeak = "rssPeakBytes"
        case gpuBefore = "gpuBeforeBytes", gpuAfter = "gpuAfterBytes", gpuPeak = "gpuPeakBytes", gpuAttribution, children
    }
}
