import Foundation
import HeadroomTestKit

/// Traces on disk in libCacheSim's oracleGeneral binary format (per request: UInt32 time,
/// UInt64 id, UInt32 size, Int64 next access), so libCacheSim, Belady included, replays
/// exactly the same requests; beside them traces.json says what scripts/cache-reference.py reads.
extension CacheTrace {
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

    static func read(_ kind: CacheTraceKind, scale: CacheTraceScale, from directory: URL) throws -> CacheTrace {
        let data = try Data(contentsOf: directory.appendingPathComponent(kind.name + ".oracleGeneral"))
        let ids = data.withUnsafeBytes { raw in
            (0..<(raw.count / 24)).map { raw.loadUnaligned(fromByteOffset: $0 * 24 + 4, as: UInt64.self).littleEndian - 1 }
        }
        return CacheTrace(name: kind.name, detail: kind.detail(scale), ids: ids, keySpace: scale.keySpace)
    }
}

/// What scripts/cache-reference.py needs to know of the traces in a directory.
struct TraceManifest: Codable {
    var keySpace: Int
    var requests: Int
    var traces: [String]
    var sizePercents: [Int]
}

/// Writes every trace at `scale`, and traces.json, to `directory`.
func writeTraces(scale: CacheTraceScale, to directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for trace in CacheTraces.generate(scale: scale) {
        try trace.write(to: directory)
        print("wrote \(trace.fileName): \(trace.ids.count) requests")
    }
    let manifest = TraceManifest(keySpace: scale.keySpace, requests: scale.requests,
                                 traces: CacheTraceKind.allCases.map(\.name), sizePercents: CacheTraces.sizePercents)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(manifest).write(to: directory.appendingPathComponent("traces.json"))
}
