/// How a ``MemoryCache`` responds to memory pressure: while `isUnderPressure`
/// returns true the cache shrinks to `fraction` of its capacity (evicting in
/// policy order), and grows back to full capacity once it returns false.
///
/// The signal is a closure so the cache never reads `/proc` itself; Headroom's
/// probe (PSI, the container's limit) can provide one. The cache polls it every
/// 1024 insertions per shard and on ``MemoryCache/checkPressure()``.
public struct PressureResponse: Sendable {
    /// Whether the process is under memory pressure now.
    public var isUnderPressure: @Sendable () -> Bool
    /// The share of capacity kept under pressure, 0 to 1.
    public var fraction: Double

    public init(fraction: Double = 0.5, isUnderPressure: @escaping @Sendable () -> Bool) {
        self.isUnderPressure = isUnderPressure
        self.fraction = min(max(fraction, 0), 1)
    }
}
