import HeadroomCore

/// What ``MemoryCache/insert(_:forKey:cost:)`` did with a value.
public enum InsertResult: Sendable, Equatable, CustomStringConvertible {
    /// The value is stored and readable at once.
    case inserted
    /// The key was present; its value and cost are replaced.
    case replaced
    /// The value was not stored, for the reason given.
    case rejected(RejectionReason)

    /// Whether the value is now in the cache.
    public var isStored: Bool {
        switch self {
        case .inserted, .replaced: true
        case .rejected: false
        }
    }

    public var description: String {
        switch self {
        case .inserted: "inserted"
        case .replaced: "replaced"
        case .rejected(let reason): "rejected: \(reason)"
        }
    }
}

/// Why a value was not stored.
public enum RejectionReason: Sendable, Equatable, CustomStringConvertible {
    /// The entry alone costs more than the bytes one shard may hold (capacity ÷ shards).
    case tooLarge(cost: ByteCount, limit: ByteCount)
    /// The cost was negative.
    case invalidCost(Int)
    /// W-TinyLFU refused it: it was requested less often than the entries it would displace.
    case notAdmitted(frequency: Int, victimFrequency: Int)

    public var description: String {
        switch self {
        case .tooLarge(let cost, let limit):
            "entry of \(cost) is larger than the \(limit) a shard may hold; raise the capacity or lower the shard count"
        case .invalidCost(let cost): "cost \(cost) is negative"
        case .notAdmitted(let frequency, let victim):
            "requested less often (\(frequency)) than the entries it would displace (\(victim))"
        }
    }
}
