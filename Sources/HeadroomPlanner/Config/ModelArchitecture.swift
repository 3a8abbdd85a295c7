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

    public init(name: String? = nil, layers: Int64? = nil, hiddenSize: Int64? = nil, attentionHeads: Int64? = nil,
                keyValueHeads: Int64? = nil, headDimension: Int64? = nil, intermediateSize: Int64? = nil,
                vocabularySize: Int64? = nil, maximumPositions: Int64? = nil, source: String) {
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
