/// The hyper-parameters the memory model needs, from a Hugging Face
/// `config.json` or from GGUF metadata. Any may be missing; the estimate then
/// leaves out the terms that need them and says so.
public struct ModelArchitecture: Sendable, Hashable, Codable {
    /// `model_type` or `general.architecture`: `llama`, `bert`, `qwen2`.
    public var name: String?
    public var layers: Int64?
    public var hiddenSize: Int64?
    public var attentionHeads: Int64?
    /// Key/value heads (grouped-query attention); the attention heads when absent.
    public var keyValueHeads: Int64?
    /// Per-head size; hidden size ÷ heads when absent.
    public var headDimension: Int64?
    /// The MLP's inner size; 4 × hidden when absent.
    public var intermediateSize: Int64?
    public var vocabularySize: Int64?
    /// The longest sequence the model was trained for.
    public var maximumPositions: Int64?
    /// Where these came from: `config.json` or `gguf`.
    public var source: String
    /// The classes the config names (`architectures`: `LlamaForCausalLM`, `BertForMaskedLM`); empty when it names none.
    public var classes: [String]
    /// `is_encoder_decoder`, where the config says.
    public var isEncoderDecoder: Bool?
    /// The decoder's layers of an encoder-decoder model, when they differ from ``layers`` (the encoder's).
    public var decoderLayers: Int64?
    /// Classes of a classification or segmentation head (`num_labels`, or the size of `id2label`).
    public var labels: Int64?
    /// Image hyper-parameters, for vision models.
    public var vision: VisionArchitecture?
    /// Dropout on attention probabilities in training (`attention_probs_dropout_prob`, `attention_dropout`).
    public var attentionDropout: Double?
    /// Dropout on hidden states in training (`hidden_dropout_prob`, `dropout`).
    public var hiddenDropout: Double?

    public init(name: String? = nil, layers: Int64? = nil, hiddenSize: Int64? = nil, attentionHeads: Int64? = nil,
                keyValueHeads: Int64? = nil, headDimension: Int64? = nil, intermediateSize: Int64? = nil,
                vocabularySize: Int64? = nil, maximumPositions: Int64? = nil, source: String,
                classes: [String] = [], isEncoderDecoder: Bool? = nil, decoderLayers: Int64? = nil,
                labels: Int64? = nil, vision: VisionArchitecture? = nil, attentionDropout: Double? = nil,
                hiddenDropout: Double? = nil) {
        self.name = name
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.attentionHeads = attentionHeads
        self.keyValueHeads = keyValueHeads
        self.headDimension = headDimension
        self.intermediateSize = intermediateSize
        self.vocabularySize = vocabularySize
        self.maximumPositions = maximumPositions
        self.source = source
        self.classes = classes
        self.isEncoderDecoder = isEncoderDecoder
        self.decoderLayers = decoderLayers
        self.labels = labels
        self.vision = vision
        self.attentionDropout = attentionDropout
        self.hiddenDropout = hiddenDropout
    }

    /// Whether the transformer terms (KV cache, attention activations) can be computed.
    public var isTransformer: Bool {
        (layers ?? 0) > 0 && (hiddenSize ?? 0) > 0 && (attentionHeads ?? 0) > 0
    }

    /// Key/value heads, falling back to the attention heads.
    public var effectiveKeyValueHeads: Int64 { keyValueHeads ?? attentionHeads ?? 0 }

    /// Head size, falling back to hidden ÷ heads.
    public var effectiveHeadDimension: Int64 {
        if let headDimension { return headDimension }
        guard let hiddenSize, let attentionHeads, attentionHeads > 0 else { return 0 }
        return hiddenSize / attentionHeads
    }

    /// The MLP's inner size, falling back to 4 × hidden.
    public var effectiveIntermediateSize: Int64 { intermediateSize ?? (hiddenSize ?? 0) * 4 }
}
