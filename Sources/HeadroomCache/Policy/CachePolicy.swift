/// Which entries a ``MemoryCache`` keeps when it is full.
///
/// The default, ``wTinyLFU``, is W-TinyLFU: new entries enter a small LRU
/// window (1% of the bytes); an entry leaving the window is admitted to the main
/// area only if a frequency sketch says it was requested more often than the
/// entries it would push out. The main area is a segmented LRU: 20% probation
/// for entries seen once in main, 80% protected for entries hit again.
///
/// Why W-TinyLFU and not S3-FIFO or plain LRU (measured by
/// `scripts/bench-cache.sh`, see README-cache.md): on Zipf traces it matches
/// libCacheSim's W-TinyLFU and beats LRU by 8–17 points at 1–10% of the key space, and a one-pass
/// scan cannot flush the hot set, because scanned keys are seen once and lose
/// the frequency duel. S3-FIFO is close on Zipf but cannot express
/// size-aware admission as directly: the candidate's frequency is compared with
/// every victim it would displace, so one huge entry never pushes out hot small
/// ones.
public enum CachePolicy: Sendable, Hashable, CustomStringConvertible {
    /// Window TinyLFU: admission by frequency in front of a segmented LRU. Scan resistant.
    case wTinyLFU
    /// Least recently used, for comparison.
    case lru

    public var description: String {
        switch self {
        case .wTinyLFU: "W-TinyLFU"
        case .lru: "LRU"
        }
    }
}
