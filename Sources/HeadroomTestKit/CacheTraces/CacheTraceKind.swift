/// The kinds of trace the cache is measured on, in table order. Each has its own fixed seed.
public enum CacheTraceKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case zipf07 = "zipf-0.7"
    case zipf09 = "zipf-0.9"
    case zipf10 = "zipf-1.0"
    case zipf11 = "zipf-1.1"
    case zipf09Scans = "zipf-0.9-scans"
    case shifting
    case loop
    case recency

    public var name: String { rawValue }
    public var description: String { rawValue }

    /// What the trace is, in the figures of `scale`.
    public func detail(_ scale: CacheTraceScale) -> String {
        let keys = Self.thousands(scale.keySpace)
        switch self {
        case .zipf07, .zipf09, .zipf10, .zipf11:
            return "Zipf α \(rawValue.dropFirst(5)) over \(keys) keys"
        case .zipf09Scans:
            return "Zipf α 0.9, every \(Self.thousands(scale.requests / 20)) requests a one-pass scan of "
                + "\(Self.thousands(scale.keySpace / 5)) new keys"
        case .shifting:
            return "Zipf α 0.9 whose popular keys move by \(Self.thousands(scale.keySpace / 10)) keys every "
                + "\(Self.thousands(scale.requests / 10)) requests"
        case .loop:
            return "a cyclic loop over \(Self.thousands(scale.keySpace / 5)) keys (twice the largest cache), "
                + "10% of requests Zipf α 0.9 noise"
        case .recency:
            return "80% re-request the key of a recent request (distance Zipf α 1.0 up to "
                + "\(Self.thousands(scale.keySpace / 20))), 20% a uniformly random key"
        }
    }

    static func thousands(_ n: Int) -> String {
        n % 1000 == 0 ? "\(n / 1000)k" : "\(n)"
    }
}

