import HeadroomCore

extension MemoryCache where Key: StableKey, Value: DiskCodable {
    /// Creates a cache with a disk tier below it: entries evicted from RAM (and
    /// entries of at least `spillThreshold` bytes, which skip RAM) are written to
    /// `disk`; a miss in RAM is read back from disk and promoted.
    ///
    /// - Parameters:
    ///   - disk: The tier below; it may be shared by caches whose keys never collide.
    ///   - spillThreshold: Entries at least this large go straight to disk; nil for none.
    ///   - Other parameters: As ``MemoryCache/init(capacity:countLimit:policy:shards:name:pressure:statisticsWindow:cost:)``.
    public convenience init(capacity: ByteCount, disk: DiskTier, spillThreshold: ByteCount? = nil,
                            countLimit: Int? = nil, policy: CachePolicy = .wTinyLFU, shards: Int? = nil,
                            name: String = "cache", pressure: PressureResponse? = nil,
                            statisticsWindow: Duration = .seconds(60), cost: (@Sendable (Value) -> Int)? = nil) {
        let hooks = CacheHooks<Key, Value>(
            spill: { key, value in
                _ = value.withDiskBytes { disk.write(key: key.stableBytes, bytes: $0) }
            },
            load: { key in
                let decoded = disk.read(key: key.stableBytes) { bytes -> (Value, Int)? in
                    guard let value = try? Value(diskBytes: bytes) else { return nil }
                    return (value, cost?(value) ?? bytes.count)
                }
                return decoded ?? nil
            },
            forget: { key in disk.remove(key: key.stableBytes) },
            forgetAll: { disk.removeAll() },
            spillThreshold: spillThreshold.map { Int($0.bytes) })
        self.init(capacity: capacity, countLimit: countLimit, policy: policy, shards: shards, name: name,
                  pressure: pressure, statisticsWindow: statisticsWindow, cost: cost, hooks: hooks)
    }
}
