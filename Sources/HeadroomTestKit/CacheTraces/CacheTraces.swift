/// Generates the cache's request traces from fixed seeds.
///
/// At ``CacheTraceScale/benchmark`` the Zipf, scan and shifting traces are the ones the
/// benchmark has always measured; the others are generated in proportion to the scale.
public enum CacheTraces {
    /// The cache sizes measured, as percentages of the key space.
    public static let sizePercents = [1, 5, 10]

    /// Every kind, in table order.
    public static func generate(scale: CacheTraceScale) -> [CacheTrace] {
        CacheTraceKind.allCases.map { generate($0, scale: scale) }
    }

    public static func generate(_ kind: CacheTraceKind, scale: CacheTraceScale) -> CacheTrace {
        let ids: [UInt64] = switch kind {
        case .zipf07: zipf(0.7, seed: 1, scale)
        case .zipf09: zipf(0.9, seed: 2, scale)
        case .zipf10: zipf(1.0, seed: 3, scale)
        case .zipf11: zipf(1.1, seed: 6, scale)
        case .zipf09Scans: scans(seed: 4, scale)
        case .shifting: shifting(seed: 5, scale)
        case .loop: loop(seed: 7, scale)
        case .recency: recency(seed: 8, scale)
        }
        return CacheTrace(name: kind.name, detail: kind.detail(scale), ids: ids, keySpace: scale.keySpace)
    }

    /// Zipf over the key space, ranks scattered over ids so popularity is not the id order.
    static func zipf(_ alpha: Double, seed: UInt64, _ scale: CacheTraceScale) -> [UInt64] {
        var random = SeededGenerator(seed: seed)
        let z = Zipf(n: scale.keySpace, alpha: alpha)
        let scatter = (0..<UInt64(scale.keySpace)).shuffled(using: &random)
        return (0..<scale.requests).map { _ in scatter[z.next(using: &random)] }
    }

    /// Zipf 0.9; every twentieth of the run, a one-pass scan of a fifth of the key space's worth of new keys.
    static func scans(seed: UInt64, _ scale: CacheTraceScale) -> [UInt64] {
        var random = SeededGenerator(seed: seed)
        let z = Zipf(n: scale.keySpace, alpha: 0.9)
        let every = max(1, scale.requests / 20)
        var fresh = UInt64(scale.keySpace)
        var ids: [UInt64] = []
        ids.reserveCapacity(scale.requests + scale.keySpace / 5)
        while ids.count < scale.requests {
            if ids.count % every == 0, ids.count > 0 {
                for _ in 0..<scale.keySpace / 5 { ids.append(fresh); fresh += 1 }
            }
            ids.append(UInt64(z.next(using: &random)))
        }
        ids.removeLast(ids.count - scale.requests)
        return ids
    }

    /// Zipf 0.9 whose popular keys move by a tenth of the key space every tenth of the run.
    static func shifting(seed: UInt64, _ scale: CacheTraceScale) -> [UInt64] {
        var random = SeededGenerator(seed: seed)
        let n = scale.keySpace
        let z = Zipf(n: n, alpha: 0.9)
        let every = max(1, scale.requests / 10)
        return (0..<scale.requests).map { i in
            UInt64((z.next(using: &random) + (i / every) * (n / 10)) % n)
        }
    }

    /// A cyclic sequential loop over a fifth of the key space (twice the largest cache measured),
    /// with one request in ten Zipf 0.9 noise over the whole key space.
    static func loop(seed: UInt64, _ scale: CacheTraceScale) -> [UInt64] {
        var random = SeededGenerator(seed: seed)
        let z = Zipf(n: scale.keySpace, alpha: 0.9)
        let scatter = (0..<UInt64(scale.keySpace)).shuffled(using: &random)
        let length = UInt64(max(1, scale.keySpace / 5))
        var next: UInt64 = 0
        return (0..<scale.requests).map { _ in
            if Double.random(in: 0..<1, using: &random) < 0.1 { return scatter[z.next(using: &random)] }
            defer { next = (next + 1) % length }
            return next
        }
    }

    /// Recency-heavy: four requests in five repeat the id of a recent request, how far back drawn
    /// Zipf 1.0 over a twentieth of the key space; the rest are uniformly random keys. LRU does
    /// well here and a policy that only trusts frequency does badly.
    static func recency(seed: UInt64, _ scale: CacheTraceScale) -> [UInt64] {
        var random = SeededGenerator(seed: seed)
        let distance = Zipf(n: max(1, scale.keySpace / 20), alpha: 1.0)
        var ids: [UInt64] = []
        ids.reserveCapacity(scale.requests)
        for _ in 0..<scale.requests {
            if !ids.isEmpty, Double.random(in: 0..<1, using: &random) < 0.8 {
                let back = min(distance.next(using: &random) + 1, ids.count)
                ids.append(ids[ids.count - back])
            } else {
                ids.append(UInt64.random(in: 0..<UInt64(scale.keySpace), using: &random))
            }
        }
        return ids
    }
}
