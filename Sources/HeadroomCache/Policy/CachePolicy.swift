/// Which entries a ``MemoryCache`` keeps when it is full.
///
/// The default, ``wTinyLFU``, is W-TinyLFU: new entries enter a small LRU
/// window (1% of the bytes); an entry leaving the window is admitted to the main
/// area only if a frequency sketch says it was requested more often than the
/// entries it would push out. The main area is a segmented LRU: 20% probation
/// for entries seen once in main, 80% protected for entries hit again.
///
/// Why W-TinyLFU and not S3-FIFO or plain LRU (measured by
/// `scripts/bench-cache.sh` on 2M-request traces, cache at 1–10% of 100k keys;
/// figures in docs/benchmarks.md): on Zipf α 0.7–1.0 it is within 0.4 points of
/// libCacheSim's W-TinyLFU (above it at 5% and 10%), 0.3–3.4 points above
/// S3-FIFO and ARC, and 6–12 points above LRU; with one-pass scans mixed in it
/// stays 8–9 points above LRU, because scanned keys are seen once and lose the
/// frequency duel. Where it is weaker: a working set that shifts every 200k
/// requests, where ARC and S3-FIFO lead by 5–7 points at 5–10% and LRU by 4 at
/// 10% (libCacheSim's own W-TinyLFU does worse still there). It also makes
/// size-aware admission direct: a candidate must be requested more often than
/// every entry it would displace, so one huge entry never pushes out hot small ones.
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
