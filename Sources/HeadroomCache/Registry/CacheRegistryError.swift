/// A registry request that could not be met.
public struct CacheRegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cache name concerned.
    public var name: String
    /// What went wrong and what to do.
    public var reason: String

    public var description: String { "cache '\(name)': \(reason)" }
}
