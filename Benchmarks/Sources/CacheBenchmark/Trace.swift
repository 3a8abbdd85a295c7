import Foundation

/// A request trace: object ids in order, written in libCacheSim's oracleGeneral
/// binary format (per request: UInt32 time, UInt64 id, UInt32 size, Int64 next
/// access) so libCacheSim, Belady included, replays exactly the same requests.
struct Trace {
    var name: String
    var detail: String
    var ids: [UInt64]
    /// Distinct ids the cache sizes are measured against.
    var keySpace: Int

    var fileName: String { name + ".oracleGeneral" }

    func write(to directory: URL) throws {
        var next = [Int64](repeating: -1, count: ids.count)
        var seen: [UInt64: Int64] = [:]
        for i in stride(from: ids.count - 1, through: 0, by: -1) {
            next[i] = seen[ids[i]] ?? -1
            seen[ids[i]] = Int64(i)
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(ids.count * 24)
        for (i, id) in ids.enumerated() {
            withUnsafeBytes(of: UInt32(i).littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: (id + 1).littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(1).littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: next[i].littleEndian) { bytes.append(contentsOf: $0) }
        }
        try Data(bytes).write(to: directory.appendingPathComponent(fileName))
    }

    static func read(name: String, detail: String, keySpace: Int, from directory: URL) throws -> Trace {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".oracleGeneral"))
        let ids = data.withUnsafeBytes { raw in
            (0..<(raw.count / 24)).map { raw.loadUnaligned(fromByteOffset: $0 * 24 + 4, as: UInt64.self).littleEndian - 1 }
        }
        return Trace(name: name, detail: detail, ids: ids, keySpace: keySpace)
    }
}

/// Draws ranks 0..<n with probability ∝ 1/(rank+1)^α.
struct Zipf {
    let cdf: [Double]

    init(n: Int, alpha: Double) {
        var sum = 0.0
        var cdf = [Double](repeating: 0, count: n)
        for i in 0..<n {
            sum += 1 / pow(Double(i + 1), alpha)
            cdf[i] = sum
        }
        self.cdf = cdf.map { $0 / sum }
    }

    func next(using random: inout some RandomNumberGenerator) -> Int {
        let u = Double.random(in: 0..<1, using: &random)
        var low = 0
        var high = cdf.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cdf[mid] < u { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// SplitMix64, so every run generates the same traces.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Traces {
    static let keySpace = 100_000
    static let requests = 2_000_000

    /// Every trace's name and description, in table order.
    static let catalog: [(name: String, detail: String)] = [
        ("zipf-0.7", "Zipf α 0.7 over 100k keys"),
        ("zipf-0.9", "Zipf α 0.9 over 100k keys"),
        ("zipf-1.0", "Zipf α 1.0 over 100k keys"),
        ("zipf-0.9-scans", "Zipf α 0.9, every 100k requests a one-pass scan of 20k new keys"),
        ("shifting", "Zipf α 0.9 whose popular keys move by 10k keys every 200k requests"),
    ]

    static func generate() -> [Trace] {
        let n = keySpace
        func zipf(_ alpha: Double, seed: UInt64) -> [UInt64] {
            var random = SplitMix(state: seed)
            let z = Zipf(n: n, alpha: alpha)
            // Ranks scattered over ids, so popularity is not the id order.
            let scatter = (0..<UInt64(n)).shuffled(using: &random)
            return (0..<requests).map { _ in scatter[z.next(using: &random)] }
        }
        var scans: [UInt64] = []
        do {
            var random = SplitMix(state: 4)
            let z = Zipf(n: n, alpha: 0.9)
            var fresh = UInt64(n)
            while scans.count < requests {
                if scans.count % 100_000 == 0, scans.count > 0 {
                    for _ in 0..<20_000 { scans.append(fresh); fresh += 1 }
                }
                scans.append(UInt64(z.next(using: &random)))
            }
            scans.removeLast(scans.count - requests)
        }
        var shifting: [UInt64] = []
        do {
            var random = SplitMix(state: 5)
            let z = Zipf(n: n, alpha: 0.9)
            for i in 0..<requests {
                let offset = (i / 200_000) * 10_000
                shifting.append(UInt64((z.next(using: &random) + offset) % n))
            }
        }
        let ids = [zipf(0.7, seed: 1), zipf(0.9, seed: 2), zipf(1.0, seed: 3), scans, shifting]
        return zip(catalog, ids).map { Trace(name: $0.name, detail: $0.detail, ids: $1, keySpace: n) }
    }
}
