/// A count-min sketch of 4-bit counters that estimates how often a key was
/// requested, and ages: after 32 increments per key it is sized for, it
/// halves every counter, so yesterday's popular keys fade (TinyLFU's reset).
///
/// Four counters per key, all in one 64-byte block of the table so a request
/// touches one cache line; a key's frequency is the smallest of its four
/// counters (0–15). Written by hand because no Swift package has one; the
/// layout follows Caffeine's blocked `FrequencySketch`.
@usableFromInline
struct FrequencySketch {
    @usableFromInline var table: [UInt64]
    @usableFromInline var mask: Int
    /// Increments since the last halving.
    @usableFromInline var additions = 0
    /// Increments that trigger a halving.
    @usableFromInline var sampleSize: Int
    /// How many times the sketch has halved.
    @usableFromInline var resets = 0

    /// Words per key the sketch is sized for: one, sixteen 4-bit counters (Caffeine's sizing), so
    /// the table takes at most 16 bytes per entry held (``words(for:)`` rounds up to a power of two).
    @usableFromInline static let wordsPerKey = 1
    /// The smallest table: 64 words, 512 bytes, one cache line of counters per 8 keys.
    @usableFromInline static let minimumWords = 64
    /// The largest table: 2^22 words (32 MiB), for 4 M entries in one shard.
    @usableFromInline static let maximumWords = 1 << 22

    /// Increments per key the sketch is sized for between two halvings. TinyLFU's W = 10 C ages
    /// stationary popularity too fast here: 32 is up to 1.6 points better than 16 on the loop and
    /// 0.1–0.3 on the Zipf traces, and a shift of the popular set, which a longer memory would hold
    /// on to, is detected and answered by ``CacheShard/forgetPopularSet()`` instead (docs/caching.md).
    @usableFromInline static let samplePerKey = 32

    /// A sketch sized for about `capacity` distinct keys; it halves after ``samplePerKey`` increments per key.
    @inlinable init(capacity: Int) {
        let words = Self.words(for: capacity * Self.wordsPerKey)
        table = Array(repeating: 0, count: words)
        mask = words / 8 - 1
        sampleSize = Self.samplePerKey * words / Self.wordsPerKey
    }

    /// The power of two at or above `capacity`, within the smallest and largest tables.
    @inlinable static func words(for capacity: Int) -> Int {
        var words = minimumWords
        let wanted = min(max(capacity, 1), maximumWords)
        while words < wanted { words <<= 1 }
        return words
    }

    /// The number of keys the sketch is sized for.
    @inlinable var capacity: Int { table.count / Self.wordsPerKey }

    /// Whether the sketch can grow: it is sized for fewer keys than its largest table holds.
    @inlinable var canGrow: Bool { table.count < Self.maximumWords }

    /// The bytes the table takes.
    @inlinable var bytes: Int { table.count * MemoryLayout<UInt64>.stride }

    @inline(__always)
    @inlinable static func spread(_ hash: Int) -> UInt64 {
        var x = UInt64(bitPattern: Int64(hash))
        x = (x ^ (x >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        x = (x ^ (x >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return x ^ (x >> 33)
    }

    /// The four counters of a key, all in one 64-byte block of eight words (one
    /// cache line per request, as in Caffeine's blocked sketch): counter `i` is in
    /// word `block + 2i` or `block + 2i + 1`, at one of its sixteen 4-bit positions.
    @inline(__always)
    @inlinable func positions(_ hash: Int) -> (block: Int, bits: UInt64) {
        let s = Self.spread(hash)
        let block = (Int(truncatingIfNeeded: s) & mask) << 3
        var c = (s ^ (s >> 29)) &* 0x9E37_79B9_7F4A_7C15
        c ^= c >> 32
        return (block, c)
    }

    @inline(__always)
    @inlinable func word(_ block: Int, _ bits: UInt64, _ i: Int) -> (word: Int, shift: UInt64) {
        let h = bits >> UInt64(i << 3)
        return (block + Int(h & 1) + (i << 1), ((h >> 1) & 15) << 2)
    }

    /// The estimated number of recent requests for the key with this hash, 0 to 15.
    @inlinable func frequency(_ hash: Int) -> Int {
        let (block, bits) = positions(hash)
        var least = 15
        for i in 0..<4 {
            let (w, shift) = word(block, bits, i)
            least = min(least, Int(truncatingIfNeeded: (table[w] >> shift) & 0xF))
        }
        return least
    }

    /// Records one request for the key with this hash; halves all counters once the sample is full.
    @inlinable @inline(__always) mutating func increment(_ hash: Int) {
        let (block, bits) = positions(hash)
        var added = false
        for i in 0..<4 {
            let (w, shift) = word(block, bits, i)
            if (table[w] >> shift) & 0xF != 0xF {
                table[w] &+= 1 << shift
                added = true
            }
        }
        if added {
            additions += 1
            if additions >= sampleSize { halve() }
        }
    }

    /// Halves every counter: the aging step.
    @inlinable mutating func halve() {
        var odd = 0
        for i in table.indices {
            odd += (table[i] & 0x1111_1111_1111_1111).nonzeroBitCount
            table[i] = (table[i] >> 1) & 0x7777_7777_7777_7777
        }
        additions = max(0, (additions - odd / 4) / 2)
        resets += 1
    }

    /// Forgets every count.
    @inlinable mutating func clear() {
        for i in table.indices { table[i] = 0 }
        additions = 0
    }
}
