/// What kind of network a model is, which decides how its activations are planned.
public enum ModelClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// A causal language model (LLaMA, Mistral, Qwen, GPT-2): a KV cache when generating.
    case decoder
    /// Bidirectional encoders (BERT, RoBERTa, DeBERTa): no KV cache.
    case encoder
    /// Sequence-to-sequence (T5, BART, Whisper): an encoder, and a decoder with self- and cross-attention caches.
    case encoderDecoder
    /// Transformers over image patches (ViT, DeiT, BEiT, DINOv2): an encoder whose tokens come from the image.
    case visionTransformer
    /// SegFormer: a hierarchical encoder with reduced-key attention and an all-MLP decoder head.
    case segformer
    /// ConvNeXt and ResNet: convolution stages.
    case convolutional
    /// None of these: weights only, unless `--per-item` or `--measured` is given.
    case unclassified

    /// The class in words.
    public var displayName: String {
        switch self {
        case .decoder: "decoder LM"
        case .encoder: "encoder"
        case .encoderDecoder: "encoder-decoder"
        case .visionTransformer: "vision transformer"
        case .segformer: "SegFormer"
        case .convolutional: "convolutional network"
        case .unclassified: "unclassified model"
        }
    }

    /// Whether the class reads images (and takes `--image-size`).
    public var readsImages: Bool { self == .visionTransformer || self == .segformer || self == .convolutional }

    /// Whether the class reads token sequences (and takes `--sequence-length`).
    public var readsTokens: Bool { self == .decoder || self == .encoder || self == .encoderDecoder }
}

/// What the model's last layer produces, which sets the size of its output.
public enum OutputHead: String, Sendable, Hashable, Codable {
    /// Vocabulary logits for every position (`…ForCausalLM`, `…ForMaskedLM`, `…LMHeadModel`).
    case languageModel
    /// A class per item, or per token (`…ForSequenceClassification`, `…ForImageClassification`, `…ForTokenClassification`).
    case classifier
    /// A class map at a fraction of the image's size (`…ForSemanticSegmentation`).
    case segmentation
    /// Hidden states only (`…Model`).
    case none
}

extension ModelArchitecture {
    static let decoderTypes: Set<String> = [
        "llama", "mistral", "mixtral", "qwen", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "gemma", "gemma2", "gemma3",
        "gemma3_text", "phi", "phi3", "phimoe", "gpt2", "gpt_neo", "gpt_neox", "gptj", "gpt_bigcode", "falcon", "mpt",
        "opt", "bloom", "starcoder2", "olmo", "olmo2", "olmoe", "deepseek", "deepseek_v2", "deepseek_v3", "stablelm",
        "cohere", "cohere2", "internlm", "internlm2", "baichuan", "chatglm", "glm", "glm4", "yi", "granite",
        "granitemoe", "exaone", "minicpm", "jamba", "dbrx", "arctic", "nemotron", "smollm3", "llama4", "codegen",
        "persimmon", "xglm", "ernie4_5", "hunyuan", "seed_oss", "gpt_oss", "apertus",
    ]
    static let encoderTypes: Set<String> = [
        "bert", "roberta", "xlm-roberta", "xlm_roberta", "distilbert", "electra", "deberta", "deberta-v2", "albert",
        "camembert", "mpnet", "ernie", "xlm", "modernbert", "nomic_bert", "nomic-bert", "jina-bert", "jina-bert-v2",
        "megatron-bert", "roformer", "xlnet", "funnel", "layoutlm", "esm", "luke", "splinter", "mobilebert",
    ]
    static let encoderDecoderTypes: Set<String> = [
        "t5", "mt5", "umt5", "longt5", "bart", "mbart", "pegasus", "pegasus_x", "marian", "whisper", "m2m_100",
        "nllb-moe", "led", "blenderbot", "blenderbot-small", "prophetnet", "switch_transformers", "plbart", "fsmt",
        "bigbird_pegasus", "speech_to_text", "seamless_m4t",
    ]
    static let visionTransformerTypes: Set<String> = [
        "vit", "deit", "beit", "dinov2", "dinov2_with_registers", "vit_mae", "vit_msn", "dpt", "data2vec-vision",
        "clip_vision_model", "siglip_vision_model", "vit_hybrid",
    ]
    static let convolutionalTypes: Set<String> = ["convnext", "convnextv2", "resnet"]
    /// Decoders whose MLP is up → activation → down; the rest gate it (SwiGLU, GeGLU: three projections).
    static let plainMLPTypes: Set<String> = [
        "gpt2", "gpt_neo", "gpt_neox", "gptj", "gpt_bigcode", "falcon", "opt", "bloom", "phi", "starcoder2", "mpt",
        "codegen", "persimmon", "xglm",
    ]

    /// Whether the MLP is gated: decoders except GPT-2's kin; encoders never.
    var hasGatedMLP: Bool {
        modelClass == .decoder && !Self.plainMLPTypes.contains(name?.lowercased() ?? "")
    }

    /// The class this architecture is planned as: from `model_type` (or GGUF's
    /// `general.architecture`), then from the class names in `architectures`.
    public var modelClass: ModelClass {
        let type = name?.lowercased() ?? ""
        if type == "segformer" { return .segformer }
        if Self.convolutionalTypes.contains(type) { return .convolutional }
        if Self.visionTransformerTypes.contains(type) { return .visionTransformer }
        if isEncoderDecoder == true || Self.encoderDecoderTypes.contains(type) { return .encoderDecoder }
        if Self.encoderTypes.contains(type) { return .encoder }
        if Self.decoderTypes.contains(type) { return .decoder }
        if classes.contains(where: { $0.hasSuffix("ForCausalLM") || $0.hasSuffix("LMHeadModel") }) { return .decoder }
        if classes.contains(where: { $0.hasSuffix("ForMaskedLM") }) { return .encoder }
        // GGUF files are llama.cpp's, which runs decoders (its encoders are listed above).
        if source == "gguf", isTransformer { return .decoder }
        // A config with transformer sizes but no name at all: the common case is a decoder.
        if name == nil, classes.isEmpty, isTransformer { return .decoder }
        return .unclassified
    }

    /// The head the config's first class names; a decoder without one is taken to have its LM head.
    public var outputHead: OutputHead {
        guard let first = classes.first else { return modelClass == .decoder ? .languageModel : .none }
        if first.hasSuffix("ForCausalLM") || first.hasSuffix("LMHeadModel") || first.hasSuffix("ForMaskedLM")
            || first.hasSuffix("ForConditionalGeneration") || first.hasSuffix("ForPreTraining") {
            return .languageModel
        }
        if first.hasSuffix("ForSemanticSegmentation") { return .segmentation }
        if first.contains("Classification") { return .classifier }
        return .none
    }
}
