import Foundation

/// What scripts/cache-reference.py measured with libCacheSim and cachetools.
struct Reference: Decodable {
    /// trace → policy → size percent ("1", "5", "10") → hit rate in percent.
    var hitRates: [String: [String: [String: Double]]]
    var cachetools: Python

    struct Python: Decodable {
        var operations: Int
        var seconds: Double
        var version: String
    }

    var libcachesimVersion: String

    static let policies = ["LRU", "ARC", "S3FIFO", "WTinyLFU", "Belady"]

    static func load(from directory: URL) throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: directory.appendingPathComponent("reference.json")))
    }
}
