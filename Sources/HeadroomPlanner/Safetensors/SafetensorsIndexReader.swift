#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// Reads a sharded safetensors model through its index
/// (`model.safetensors.index.json`: `{"metadata": {...}, "weight_map": {tensor: shard}}`).
///
/// Each shard is read with ``SafetensorsReader``; every tensor the map names
/// must be in the shard it names. A shard that is itself an index is followed,
/// and an index reached twice is a cycle.
public enum SafetensorsIndexReader {
    /// The largest index file read (weight maps of the largest public models are a few MB).
    public static let maximumIndexLength = 64 << 20

    /// The tensors of every shard, and the shard files read, in order.
    public struct Contents: Sendable, Hashable {
        public var tensors: [TensorInfo]
        public var shards: [String]
    }

    /// Reads the index at `path` and every shard it names.
    public static func read(path: String) throws(ModelFileError) -> Contents {
        var visited: Set<String> = []
        var shards: [String] = []
        var tensors: [TensorInfo] = []
        try read(index: path, visited: &visited, shards: &shards, tensors: &tensors)
        tensors.sort { $0.name < $1.name }
        return Contents(tensors: tensors, shards: shards)
    }

    private static func read(index path: String, visited: inout Set<String>, shards: inout [String],
                             tensors: inout [TensorInfo]) throws(ModelFileError) {
        let key = canonicalPath(path)
        guard visited.insert(key).inserted else {
            throw ModelFileError(.cyclicShards, path: path, "index is reached again through its own shards")
        }
        let byShard = try tensorsByShard(in: try ModelFile(path: path))
        let directory = directoryOf(path)
        for shard in byShard.keys.sorted() {
            let shardPath = directory + shard
            guard access(shardPath, F_OK) == 0 else {
                throw ModelFileError(.missingShard, path: path, tensor: byShard[shard]?.min(),
                                     "shard '\(shard)' named by the index does not exist")
            }
            if shard.hasSuffix(".json") {
                try read(index: shardPath, visited: &visited, shards: &shards, tensors: &tensors)
                continue
            }
            let contents = try SafetensorsReader.read(path: shardPath)
            let names = Set(contents.tensors.map(\.name))
            if let absent = byShard[shard]?.sorted().first(where: { !names.contains($0) }) {
                throw ModelFileError(.missingShard, path: shardPath, tensor: absent, "the index places this tensor in '\(shard)' but the shard does not hold it")
            }
            shards.append(shardPath)
            tensors.append(contentsOf: contents.tensors)
        }
    }

    /// The tensors the index in `file` places in each shard, checked (shard names stay beside
    /// the index) but not opened. Only `weight_map` is built: the rest of the file is checked and skipped.
    /// - Throws: ``ModelFileError`` for a file that is too long, not JSON, or names a shard outside its directory.
    public static func tensorsByShard(in file: ModelFile) throws(ModelFileError) -> [String: [String]] {
        let path = file.path
        guard file.size <= maximumIndexLength else {
            throw ModelFileError(.lengthTooLarge, path: path, offset: 0, "index is \(file.size) bytes, more than the \(maximumIndexLength) allowed")
        }
        let keep = JSONKeep.fields(["weight_map": .fields([:], other: .scalars)], other: .skip)
        guard let json = JSONParser.parse(try file.read(at: 0, count: Int(file.size)), keep: keep) else {
            throw ModelFileError(.badJSON, path: path, offset: 0, "index is not valid JSON")
        }
        guard let weightMap = json.objectValue?["weight_map"]?.objectValue else {
            throw ModelFileError(.badJSON, path: path, offset: 0, "index has no 'weight_map' object")
        }
        var byShard: [String: [String]] = [:]
        for (tensor, value) in weightMap {
            guard let shard = value.stringValue, !shard.isEmpty, !shard.hasPrefix("/"),
                  !shard.split(separator: "/").contains("..") else {
                throw ModelFileError(.badField, path: path, tensor: tensor, "shard must be a file name beside the index, got \(value.kind)")
            }
            byShard[shard, default: []].append(tensor)
        }
        return byShard
    }

    /// The directory part of `path`, with a trailing slash, or empty.
    static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    /// The path with symbolic links and `.` resolved, so that two names of one file compare equal.
    static func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
