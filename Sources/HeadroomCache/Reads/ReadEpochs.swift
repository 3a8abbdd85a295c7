import Synchronization

/// Epoch-based reclamation for readers that take no lock: it tells a shard's
/// writer when an entry (or index table) it unlinked can no longer be held by
/// any reader, so it can be freed.
///
/// Each read stripe has one word, on a cache line of its own, owned by one
/// thread (``currentReadStripe()``): 0 outside a read section, else the epoch
/// the reader entered in (`epoch << 1 | 1`). Entering is one sequentially
/// consistent store; leaving a release store. A writer retires what it
/// unlinks, tagged with the epoch it reads afterwards. The epoch moves from `e`
/// to `e + 1` only when every reader inside entered in `e`, so once it reaches
/// `r + 2`, every reader that entered before an unlink retired at `r` has left,
/// and what was retired at `r` is freed. When no reader is inside at all,
/// everything retired is freed at once (the common case on one thread). The
/// argument needs the unlink, the epoch and the announcements in one total
/// order, hence sequential consistency for all of them.
@usableFromInline
final class ReadEpochs: @unchecked Sendable {
    // @unchecked Sendable: `words` is a buffer of `Atomic`s, only ever used through
    // atomic operations; each stripe's word is stored only by the thread owning
    // that stripe (``currentReadStripe()``); `epoch` is an `Atomic`.
    @usableFromInline let words: UnsafeMutablePointer<Atomic<Int>>
    /// Words per stripe: the announcement, then padding to 128 bytes, so stripes never share a line.
    @usableFromInline static var stride: Int { 16 }
    let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    @usableFromInline let epoch = Atomic<Int>(0)
    let trailing: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    init() {
        let count = readStripeCount * Self.stride
        words = .allocate(capacity: count)
        for i in 0..<count { (words + i).initialize(to: Atomic<Int>(0)) }
    }

    deinit {
        words.deinitialize(count: readStripeCount * Self.stride)
        words.deallocate()
    }

    /// Enters a read section on `stripe` (which the calling thread owns).
    @inlinable @inline(__always)
    func enter(_ stripe: Int) {
        let word = stripe &* Self.stride
        var e = epoch.load(ordering: .relaxed)
        while true {
            words[word].store(e &<< 1 | 1, ordering: .sequentiallyConsistent)
            // The epoch moved between the read and the announcement: announce the new one.
            let now = epoch.load(ordering: .sequentiallyConsistent)
            if now == e { return }
            e = now
        }
    }

    /// Leaves the read section that ``enter(_:)`` opened.
    @inlinable @inline(__always)
    func leave(_ stripe: Int) {
        words[stripe &* Self.stride].store(0, ordering: .releasing)
    }

    /// The epoch now, for tagging what a writer retires after unlinking it.
    @inlinable var current: Int { epoch.load(ordering: .sequentiallyConsistent) }

    /// Whether no reader is inside a read section now.
    func isQuiet() -> Bool {
        for stripe in 0..<readStripeCount where words[stripe * Self.stride].load(ordering: .sequentiallyConsistent) != 0 {
            return false
        }
        return true
    }

    /// Moves the epoch on if every reader inside entered in the current one; returns the epoch now.
    func advance() -> Int {
        let e = epoch.load(ordering: .sequentiallyConsistent)
        for stripe in 0..<readStripeCount {
            let announced = words[stripe * Self.stride].load(ordering: .sequentiallyConsistent)
            if announced != 0, announced &>> 1 != e { return e }
        }
        _ = epoch.compareExchange(expected: e, desired: e &+ 1, ordering: .sequentiallyConsistent)
        return epoch.load(ordering: .sequentiallyConsistent)
    }
}
