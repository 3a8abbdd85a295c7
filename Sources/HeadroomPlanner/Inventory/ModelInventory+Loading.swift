#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
extension ModelInventory {
    /// Reads the model at `path`: a `.safetensors`, `.gguf` or `.onnx` file, a
    /// `model.safetensors.index.json`, or a directory holding one of these. A
    /// `config.json` beside the weights supplies the hyper-parameters (GGUF
    /// carries its own).
    ///
    /// In a directory the index is preferred, then every `.safetensors` file,
    /// then a single `.gguf`, then a single `.onnx`.
    /// - Throws: ``ModelFileError`` naming the file, offset and rule.
    public static func load(path: String) throws(ModelFileError) -> ModelInventory {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ModelFileError(.noModel, path: path, OutsidePathError(path: path, errno: errno).reason)
        }
        let inventory = (info.st_mode & S_IFMT) == S_IFDIR ? try loadDirectory(path.hasSuffix("/") ? path : path + "/")
                                                            : try loadFile(path)
        // One rule for every format: a model without a single tensor has nothing to plan.
        guard !inventory.tensors.isEmpty else {
            throw ModelFileError(.noModel, path: path, "holds no tensors: nothing to plan (an empty file, weight_map or graph)")
        }
        return inventory
    }

    private static func loadFile(_ path: String) throws(ModelFileError) -> ModelInventory {
        let directory = SafetensorsIndexReader.directoryOf(path)
        if path.hasSuffix(".json") {
            let contents = try SafetensorsIndexReader.read(path: path)
            return try withConfig(ModelInventory(format: .safetensors, files: [path] + contents.shards,
                                                 tensors: contents.tensors, architecture: nil), directory: directory)
        }
        if path.hasSuffix(".gguf") {
            let contents = try GGUFReader.read(path: path)
            return ModelInventory(format: .gguf, files: [path], tensors: contents.tensors,
                                  architecture: try ModelArchitecture.fromGGUF(contents, path: path))
        }
        if path.hasSuffix(".onnx") {
            let contents = try ONNXReader.read(path: path)
            var inventory = try withConfig(ModelInventory(format: .onnx, files: [path] + contents.externalFiles,
                                                          tensors: contents.tensors, architecture: nil), directory: directory)
            inventory.graph = try ONNXGraph.read(path: path)
            return inventory
        }
        if path.hasSuffix(".safetensors") {
            let contents = try SafetensorsReader.read(path: path)
            return try withConfig(ModelInventory(format: .safetensors, files: [path], tensors: contents.tensors,
                                                 architecture: nil), directory: directory)
        }
        throw ModelFileError(.noModel, path: path, "not a model file: expected .safetensors, .gguf, .onnx or a safetensors index")
    }

    private static func loadDirectory(_ directory: String) throws(ModelFileError) -> ModelInventory {
        let names = listDirectory(directory)
        if let index = names.first(where: { $0.hasSuffix(".safetensors.index.json") }) {
            return try loadFile(directory + index)
        }
        let shards = names.filter { $0.hasSuffix(".safetensors") }
        if !shards.isEmpty {
            var tensors: [TensorInfo] = []
            for shard in shards {
                tensors += try SafetensorsReader.read(path: directory + shard).tensors
            }
            return try withConfig(ModelInventory(format: .safetensors, files: shards.map { directory + $0 },
                                                 tensors: tensors, architecture: nil), directory: directory)
        }
        for suffix in [".gguf", ".onnx"] {
            let matches = names.filter { $0.hasSuffix(suffix) }
            if matches.count > 1 {
                throw ModelFileError(.noModel, path: directory, "\(matches.count) \(suffix) files (\(matches.prefix(3).joined(separator: ", "))…): name the one to plan")
            }
            if let only = matches.first { return try loadFile(directory + only) }
        }
        throw ModelFileError(.noModel, path: directory, "no model here: no .safetensors, safetensors index, .gguf or .onnx file")
    }

    /// Adds the hyper-parameters of `config.json` in `directory`, if there is one.
    private static func withConfig(_ inventory: ModelInventory, directory: String) throws(ModelFileError) -> ModelInventory {
        let path = directory + "config.json"
        guard access(path, F_OK) == 0 else { return inventory }
        var result = inventory
        result.architecture = try ModelArchitecture.readConfig(path: path)
        result.files.append(path)
        return result
    }

    /// The names in `directory`, sorted; empty when it cannot be read.
    static func listDirectory(_ directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
