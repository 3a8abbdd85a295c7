/// One stored key and value, immutable, so a reader without the shard's lock
/// can compare the key and copy the value while a writer changes the shard.
///
/// The key index points at entries, not at nodes: a hit without the lock reads
/// only the index and the entry. Replacing a value makes a new entry; the old
/// one is retired, and freed once no reader can still hold it (``ReadEpochs``).
@usableFromInline
final class CacheEntry<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    @usableFromInline let key: Key
    @usableFromInline let value: Value
    @usableFromInline let hash: Int
    /// The node that holds this entry's policy state (lists, cost, CLOCK bit).
    @usableFromInline let node: Int32

    @inlinable
    init(key: Key, value: Value, hash: Int, node: Int32) {
        self.key = key
        self.value = value
        self.hash = hash
        self.node = node
    }

    /// The entry whose address `bits` holds (nonzero; an index slot's tag bits are ignored), without retaining it.
    @inlinable @inline(__always)
    static func at(_ bits: UInt) -> Unmanaged<CacheEntry> {
        Unmanaged<CacheEntry>.fromOpaque(UnsafeRawPointer(bitPattern: bits & ~15).unsafelyUnwrapped)
    }

    /// A new entry's address, retained once: the reference its node owns until it is freed.
    @inlinable @inline(__always)
    static func make(key: Key, value: Value, hash: Int, node: Int32) -> UInt {
        let address = UInt(bitPattern: Unmanaged.passRetained(CacheEntry(key: key, value: value, hash: hash, node: node)).toOpaque())
        // The runtime allocates objects through malloc, 16-byte aligned on 64-bit
        // platforms: the index keeps a hash tag in the four low bits.
        assert(address & 15 == 0, "CacheEntry not 16-byte aligned")
        return address
    }

    /// The key and value of the entry at `bits`.
    @inlinable @inline(__always)
    static func contents(_ bits: UInt) -> (Key, Value) {
        at(bits)._withUnsafeGuaranteedRef { ($0.key, $0.value) }
    }

    /// The value of the entry at `bits`.
    @inlinable @inline(__always)
    static func value(_ bits: UInt) -> Value {
        at(bits)._withUnsafeGuaranteedRef { $0.value }
    }
}
