extension ModelArchitecture {
    /// The largest `config.json` read.
    static let maximumConfigLength = 4 << 20

    /// Reads a Hugging Face `config.json`; multimodal configs' `text_config` fills what the top level lacks.
    /// - Throws: ``ModelFileError`` when the file cannot be read or is not a JSON object.
    public static func readConfig(path: String) throws(ModelFileError) -> ModelArchitecture {
        let file = try ModelFile(path: path)
        guard file.size <= maximumConfigLength else {
            throw ModelFileError(.lengthTooLarge, path: path, offset: 0, "config is \(file.size) bytes, more than \(maximumConfigLength) allowed")
        }
        guard let json = JSONValue.parse(try file.read(at: 0, count: Int(file.size))) else {
            throw ModelFileError(.badJSON, path: path, offset: 0, "config is not valid JSON")
        }
        guard let object = json.objectValue else {
            throw ModelFileError(.badJSON, path: path, offset: 0, "config is \(json.kind), not a JSON object")
        }
        let nested = object["text_config"]?.objectValue ?? [:]
        func integer(_ keys: String...) -> Int64? {
            for fields in [object, nested] {
                for key in keys {
                    if let value = fields[key]?.integerValue, value > 0 { return value }
                }
            }
            return nil
        }
        return ModelArchitecture(
            name: object["model_type"]?.stringValue ?? object["architectures"]?.arrayValue?.first?.stringValue,
            layers: integer("num_hidden_layers", "n_layer", "num_layers"),
            hiddenSize: integer("hidden_size", "n_embd", "d_model"),
            attentionHeads: integer("num_attention_heads", "n_head", "num_heads"),
            keyValueHeads: integer("num_key_value_heads", "num_kv_heads"),
            headDimension: integer("head_dim"),
            intermediateSize: integer("intermediate_size", "n_inner", "ffn_dim"),
            vocabularySize: integer("vocab_size"),
            maximumPositions: integer("max_position_embeddings", "n_positions", "max_seq_len", "seq_length"),
            source: "config.json")
    }

    /// The hyper-parameters in GGUF metadata (`<arch>.block_count` and the rest); `nil` without `general.architecture`.
    public static func fromGGUF(_ contents: GGUFReader.Contents) -> ModelArchitecture? {
        guard let arch = contents.value("general.architecture")?.stringValue else { return nil }
        func integer(_ suffix: String) -> Int64? {
            switch contents.value("\(arch).\(suffix)") {
            case .array(_, _, let elements?): return elements.compactMap(\.integerValue).max()
            case let value?: return value.integerValue
            case nil: return nil
            }
        }
        var vocabulary = integer("vocab_size")
        if vocabulary == nil, case .array(_, let count, _)? = contents.value("tokenizer.ggml.tokens") {
            vocabulary = Int64(clamping: count)
        }
        return ModelArchitecture(
            name: arch, layers: integer("block_count"), hiddenSize: integer("embedding_length"),
            attentionHeads: integer("attention.head_count"), keyValueHeads: integer("attention.head_count_kv"),
            headDimension: integer("attention.key_length"), intermediateSize: integer("feed_forward_length"),
            vocabularySize: vocabulary, maximumPositions: integer("context_length"), source: "gguf")
    }
}
