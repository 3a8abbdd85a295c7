extension ModelArchitecture {
    /// The largest `config.json` read.
    static let maximumConfigLength = 4 << 20

    /// Reads a Hugging Face `config.json`; multimodal configs' `text_config` fills what the top level lacks.
    /// - Throws: ``ModelFileError`` when the file cannot be read or is not a JSON object.
    public static func readConfig(path: String) throws(ModelFileError) -> ModelArchitecture {
        try readConfig(ModelFile(path: path))
    }

    /// Reads a Hugging Face `config.json` from `file` (a path, or bytes in memory).
    /// - Throws: ``ModelFileError`` when the file is too long or not a JSON object, or a size is out of range.
    public static func readConfig(_ file: ModelFile) throws(ModelFileError) -> ModelArchitecture {
        let path = file.path
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
        func integer(_ keys: String...) throws(ModelFileError) -> Int64? {
            for fields in [object, nested] {
                for key in keys {
                    guard let value = fields[key]?.integerValue, let size = try checked(value, key: key, path: path) else {
                        continue
                    }
                    return size
                }
            }
            return nil
        }
        func integers(_ key: String) throws(ModelFileError) -> [Int64] {
            guard let elements = object[key]?.arrayValue, elements.count <= maximumStages else { return [] }
            var values: [Int64] = []
            for element in elements {
                guard let value = element.integerValue, let size = try checked(value, key: key, path: path) else { return [] }
                values.append(size)
            }
            return values
        }
        func share(_ keys: String...) -> Double? {
            keys.lazy.compactMap { object[$0]?.doubleValue }.first { (0...1).contains($0) }
        }
        let labelMap = object["id2label"]?.objectValue?.count
        let classes = (object["architectures"]?.arrayValue ?? []).prefix(maximumStages).compactMap(\.stringValue)
        let imageSides = try integers("image_size")
        let vision = VisionArchitecture(
            imageSize: try integer("image_size") ?? imageSides.max(), channels: try integer("num_channels"),
            patchSize: try integer("patch_size"), stageWidths: try integers("hidden_sizes"), stageDepths: try integers("depths"),
            stageStrides: try integers("strides"), patchSizes: try integers("patch_sizes"), reductionRatios: try integers("sr_ratios"),
            stageHeads: try integers("num_attention_heads"), mlpRatios: try integers("mlp_ratios"),
            decoderWidth: try integer("decoder_hidden_size"), stemWidth: try integer("embedding_size"),
            blockType: object["layer_type"]?.stringValue)
        return try ModelArchitecture(
            name: object["model_type"]?.stringValue ?? classes.first,
            layers: try integer("num_hidden_layers", "n_layer", "num_layers", "encoder_layers"),
            hiddenSize: try integer("hidden_size", "n_embd", "d_model"),
            attentionHeads: try integer("num_attention_heads", "n_head", "num_heads", "encoder_attention_heads"),
            keyValueHeads: try integer("num_key_value_heads", "num_kv_heads"),
            headDimension: try integer("head_dim", "d_kv"),
            intermediateSize: try integer("intermediate_size", "n_inner", "ffn_dim", "d_ff", "encoder_ffn_dim"),
            vocabularySize: try integer("vocab_size"),
            maximumPositions: try integer("max_position_embeddings", "n_positions", "max_seq_len", "seq_length", "max_target_positions"),
            source: "config.json", classes: Array(classes),
            isEncoderDecoder: { if case .bool(let value)? = object["is_encoder_decoder"] { return value } else { return nil } }(),
            decoderLayers: try integer("num_decoder_layers", "decoder_layers"),
            labels: try integer("num_labels") ?? labelMap.map { Int64($0) }.flatMap { $0 > 0 ? $0 : nil },
            vision: vision.isEmpty ? nil : vision,
            attentionDropout: share("attention_probs_dropout_prob", "attention_dropout", "attn_pdrop"),
            hiddenDropout: share("hidden_dropout_prob", "hidden_dropout", "resid_pdrop", "dropout", "dropout_rate"))
    }

    /// The most stages (or classes) an array in a config may list.
    static let maximumStages = 64

    /// The largest hyper-parameter believed: 2^31 is far above any real model's
    /// sizes (hidden sizes of tens of thousands, vocabularies of hundreds of
    /// thousands, contexts of millions), and keeps every product of them in range.
    public static let maximumValue: Int64 = 1 << 31

    /// `value` of `key` when it is a size a model can have, 1 to ``maximumValue``; `nil` for 0,
    /// which configs write for "not set".
    /// - Throws: ``ModelFileError`` (bad field) naming the key, for a negative or absurd value.
    static func checked(_ value: Int64, key: String, path: String) throws(ModelFileError) -> Int64? {
        guard value != 0 else { return nil }
        guard value > 0, value <= maximumValue else {
            throw ModelFileError(.badField, path: path, key: key, "\(value) is not a size a model can have (1 to \(maximumValue))")
        }
        return value
    }

    /// The hyper-parameters in GGUF metadata (`<arch>.block_count` and the rest); `nil` without `general.architecture`.
    /// - Throws: ``ModelFileError`` (bad field) for a zero, negative or absurd size.
    public static func fromGGUF(_ contents: GGUFReader.Contents, path: String) throws(ModelFileError) -> ModelArchitecture? {
        guard let arch = contents.value("general.architecture")?.stringValue else { return nil }
        func integer(_ suffix: String) throws(ModelFileError) -> Int64? {
            let key = "\(arch).\(suffix)"
            let value: Int64?
            switch contents.value(key) {
            case .array(_, _, let elements?):
                // Per-layer values (head counts that vary by layer): the largest, unless one is out of range.
                let values = elements.compactMap(\.integerValue)
                for each in values { _ = try checked(each, key: key, path: path) }
                value = values.max()
            case let found?: value = found.integerValue
            case nil: value = nil
            }
            guard let value else { return nil }
            return try checked(value, key: key, path: path)
        }
        var vocabulary = try integer("vocab_size")
        if vocabulary == nil, case .array(_, let count, _)? = contents.value("tokenizer.ggml.tokens") {
            vocabulary = Int64(clamping: count)
        }
        return try ModelArchitecture(
            name: arch, layers: try integer("block_count"), hiddenSize: try integer("embedding_length"),
            attentionHeads: try integer("attention.head_count"), keyValueHeads: try integer("attention.head_count_kv"),
            headDimension: try integer("attention.key_length"), intermediateSize: try integer("feed_forward_length"),
            vocabularySize: vocabulary, maximumPositions: try integer("context_length"), source: "gguf")
    }
}
