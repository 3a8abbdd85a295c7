import HeadroomCore

extension MemoryCache {
    /// Evicts in policy order (coldest first) until the cache holds at most `bytes`;
    /// the capacity is unchanged, so the cache fills again afterwards.
    public func trim(toBytes bytes: ByteCount) {
        let perShard = Int(max(0, bytes.bytes)) / shards.count
        for box in shards { spill(box.state.withLock { $0.trim(toBytes: perShard); return $0.takeEvicted() }) }
    }

    /// Drops the entries whose time to live or to idle has run out, now. Each shard also does
    /// this as it is used, so call it only to free an idle cache's expired bytes.
    public func removeExpired() {
        for box in shards { box.state.withLock { _ = $0.expiryNow() } }
    }

    /// Drops every entry from RAM and the disk tier. Statistics are kept.
    public func removeAll() {
        for box in shards { box.state.withLock { $0.removeAll(); _ = $0.takeEvicted() } }
        hooks.forgetAll?()
    }

    /// Polls the pressure signal now: under pressure the cache shrinks to the
    /// configured fraction of its capacity; once pressure ends it recovers it.
    /// - Returns: Whether the cache is under pressure.
    @discardableResult
    public func checkPressure() -> Bool {
        guard let pressure else { return false }
        let pressed = pressure.isUnderPressure()
        let (was, _) = underPressure.compareExchange(expected: !pressed, desired: pressed, ordering: .relaxed)
        if was {
            let limit = pressed ? Int(Double(shardLimit) * pressure.fraction) : shardLimit
            for box in shards { spill(box.state.withLock { $0.resize(toBytes: limit); return $0.takeEvicted() }) }
        }
        return pressed
    }

    /// Whether the cache is shrunk for memory pressure now.
    public var isUnderPressure: Bool { underPressure.load(ordering: .relaxed) }

    /// Evicts the coldest entry of the fullest shard; returns its bytes, 0 when empty.
    /// Used by ``CacheRegistry`` to keep a shared budget.
    func evictOne() -> Int {
        var fullest: ShardBox<Key, Value>?
        var most = 0
        for box in shards {
            let bytes = box.state.withLock { $0.bytes }
            if bytes > most { most = bytes; fullest = box }
        }
        guard let fullest else { return 0 }
        let (freed, evicted) = fullest.state.withLock { shard in
            let before = shard.bytes
            shard.trim(toBytes: before - 1)
            return (before - shard.bytes, shard.takeEvicted())
        }
        spill(evicted)
        return freed
    }
}
