/// Keys that recently left one part of a shard, remembered approximately: two
/// generations of a Bloom filter (three bits a key), the older dropped when the
/// newer has taken half as many keys as the shard holds, so the two cover about
/// as many keys as the shard. Four bytes per entry the shard holds.
///
/// A miss on a key the window recently refused says a larger window would have
/// hit; a miss on a key main recently evicted says a larger main would have. The
/// window's share moves on those two signals, as ARC moves its target on its ghost lists.
@usableFromInline
struct GhostFilter: Sendable {
    @usableFromInline var current: [UInt64]
    @usableFromInline var previous: [UInt64]
    @usableFromInline var mask: Int
    /// Keys added to `current`.
    @usableFromInline var added = 0
    /// Keys a generation takes before it is rotated out.
    @usableFromInline var generation: Int

    @inlinable init(keys: Int) {
        let words = Self.words(for: keys)
        current = Array(repeating: 0, count: words)
        previous = Array(repeating: 0, count: words)
        mask = words * 64 - 1
        generation = max(keys / 2, 16)
    }

    /// 16 bits per entry the shard holds (32 per key a generation takes), in 64-bit words, a power of two.
    @inlinable static func words(for keys: Int) -> Int {
        var words = 8
        while words * 4 < keys { words <<= 1 }
        return words
    }

    @inline(__always)
    @inlinable func bits(_ hash: Int) -> (Int, Int, Int) {
        let s = FrequencySketch.spread(hash ^ 0x5bd1_e995)
        return (Int(truncatingIfNeeded: s) & mask, Int(truncatingIfNeeded: s >> 21) & mask,
                Int(truncatingIfNeeded: s >> 42) & mask)
    }

    @inline(__always)
    @inlinable static func test(_ table: [UInt64], _ bit: Int) -> Bool { table[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }

    /// Whether a key was added in this generation or the last (false positives are rare, ~1%).
    @inlinable func contains(_ hash: Int) -> Bool {
        let (a, b, c) = bits(hash)
        return (Self.test(current, a) && Self.test(current, b) && Self.test(current, c))
            || (Self.test(previous, a) && Self.test(previous, b) && Self.test(previous, c))
    }

    /// Remembers a key; rotates generations when this one is full, resizing for `keys` held.
    @inlinable mutating func add(_ hash: Int, keys: Int) {
        if added >= generation {
            let words = Self.words(for: keys)
            if words * 64 - 1 != mask {
                current = Array(repeating: 0, count: words)
                previous = Array(repeating: 0, count: words)
                mask = words * 64 - 1
            } else {
                swap(&current, &previous)
                for i in current.indices { current[i] = 0 }
            }
            generation = max(keys / 2, 16)
            added = 0
        }
        let (a, b, c) = bits(hash)
        current[a >> 6] |= 1 << UInt64(a & 63)
        current[b >> 6] |= 1 << UInt64(b & 63)
        current[c >> 6] |= 1 << UInt64(c & 63)
        added += 1
    }

    /// The bytes the two generations take.
    @inlinable var bytes: Int { (current.count + previous.count) * 8 }
}
