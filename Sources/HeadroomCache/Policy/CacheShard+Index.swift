import Synchronization

/// The shard's key index: an ``IndexTable`` of entry addresses with linear
/// probing, keyed by the hash each entry stores. It replaces a `[Key: Int32]`
/// dictionary so a lookup hashes the key once (the cache needs the hash anyway,
/// for the shard and the sketch), and its slots are atomics so that a hit needs
/// no lock (``MemoryCache/value(forKey:)``). Every store is sequentially
/// consistent: ``ReadEpochs`` relies on an unlink being ordered before the
/// epoch the writer reads afterwards.
extension CacheShard {
    /// The node holding `key`, or -1. Always inlined, and the probing is the
    /// table's: called out of line, or as a non-mutating method of the shard,
    /// it would copy the whole shard (and retain its arrays) on every lookup.
    @inlinable @inline(__always)
    func find(_ key: Key, hash: Int) -> Int32 {
        table.find(key, hash: hash, as: CacheEntry<Key, Value>.self)
    }

    /// Indexes node `i`'s entry (not indexed yet) under its hash.
    @inlinable
    mutating func indexInsert(_ i: Int32) {
        if (entryCount + 1) * 2 > table.size { growSlots() }
        var slot = nodes[Int(i)].hash & table.mask
        while table.slots[slot].load(ordering: .relaxed) != 0 { slot = (slot + 1) & table.mask }
        table.slots[slot].store(IndexTable.slotValue(nodes[Int(i)].entry, hash: nodes[Int(i)].hash),
                                ordering: .sequentiallyConsistent)
        entryCount += 1
    }

    /// Points the slot of `old` at `new` (same key, so same place); retires `old`.
    @inlinable
    mutating func indexReplace(_ old: UInt, with new: UInt, hash: Int, cost: Int) {
        table.slots[table.slot(of: old, hash: hash)].store(IndexTable.slotValue(new, hash: hash), ordering: .sequentiallyConsistent)
        retire(old, cost: cost)
    }

    /// Removes node `i`'s entry from the index, shifting later entries of its probe run back into the hole.
    @inlinable
    mutating func indexRemove(_ i: Int32) {
        let mask = table.mask
        let slots = table.slots
        // Readers that miss while this runs look again under the lock.
        reads.moves.wrappingAdd(1, ordering: .sequentiallyConsistent)
        defer { reads.moves.wrappingAdd(1, ordering: .sequentiallyConsistent) }
        var hole = table.slot(of: nodes[Int(i)].entry, hash: nodes[Int(i)].hash)
        var j = hole
        while true {
            j = (j + 1) & mask
            let moving = slots[j].load(ordering: .relaxed)
            if moving == 0 { break }
            let home = CacheEntry<Key, Value>.at(moving)._withUnsafeGuaranteedRef { $0.hash } & mask
            // Move the entry back if its home is not cyclically within (hole, j].
            let stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
            if !stays {
                slots[hole].store(moving, ordering: .sequentiallyConsistent)
                hole = j
            }
        }
        slots[hole].store(0, ordering: .sequentiallyConsistent)
        entryCount -= 1
    }

    /// Doubles the table: fills a new one, publishes it, retires the old.
    @usableFromInline
    mutating func growSlots() {
        let grown = IndexTable(size: table.size * 2)
        for node in nodes where node.segment != .free {
            var slot = node.hash & grown.mask
            while grown.slots[slot].load(ordering: .relaxed) != 0 { slot = (slot + 1) & grown.mask }
            grown.slots[slot].store(IndexTable.slotValue(node.entry, hash: node.hash), ordering: .relaxed)
        }
        publish(grown)
    }

    /// Makes `newTable` the index readers see, and retires the old one.
    @usableFromInline
    mutating func publish(_ newTable: IndexTable) {
        let old = table
        table = newTable
        reads.table.store(newTable.bits, ordering: .sequentiallyConsistent)
        retire(old)
    }

    /// Empties the index.
    @inlinable
    mutating func indexRemoveAll() {
        publish(IndexTable(size: 16))
        entryCount = 0
    }
}
