import HeadroomPlanner
import Testing

@Suite("model classes from config.json")
struct ModelClassTests {
    static func config(_ text: String) throws -> ModelArchitecture {
        try ModelArchitecture.readConfig(ModelFile(bytes: Array(text.utf8), path: "config.json"))
    }

    @Test("model_type, is_encoder_decoder and architectures decide the class and the head", arguments: [
        (#"{"model_type": "llama", "architectures": ["LlamaForCausalLM"], "num_hidden_layers": 2, "hidden_size": 8, "num_attention_heads": 2}"#, ModelClass.decoder, OutputHead.languageModel),
        (#"{"model_type": "bert", "architectures": ["BertForMaskedLM"]}"#, .encoder, .languageModel),
        (#"{"model_type": "roberta", "architectures": ["RobertaForSequenceClassification"], "num_labels": 3}"#, .encoder, .classifier),
        (#"{"model_type": "bert", "architectures": ["BertModel"]}"#, .encoder, .none),
        (#"{"model_type": "t5", "is_encoder_decoder": true}"#, .encoderDecoder, .none),
        (#"{"model_type": "new-seq2seq", "is_encoder_decoder": true, "architectures": ["NewForConditionalGeneration"]}"#, .encoderDecoder, .languageModel),
        (#"{"model_type": "whisper", "architectures": ["WhisperForConditionalGeneration"]}"#, .encoderDecoder, .languageModel),
        (#"{"model_type": "vit", "architectures": ["ViTForImageClassification"]}"#, .visionTransformer, .classifier),
        (#"{"model_type": "segformer", "architectures": ["SegformerForSemanticSegmentation"]}"#, .segformer, .segmentation),
        (#"{"model_type": "convnext"}"#, .convolutional, .none),
        (#"{"model_type": "resnet", "architectures": ["ResNetForImageClassification"]}"#, .convolutional, .classifier),
        (#"{"model_type": "brand-new", "architectures": ["BrandNewForCausalLM"]}"#, .decoder, .languageModel),
        (#"{"model_type": "wav2vec2", "architectures": ["Wav2Vec2ForCTC"]}"#, .unclassified, .none),
        (#"{"num_hidden_layers": 2, "hidden_size": 8, "num_attention_heads": 2}"#, .decoder, .languageModel),
    ])
    func classes(text: String, modelClass: ModelClass, head: OutputHead) throws {
        let architecture = try Self.config(text)
        #expect(architecture.modelClass == modelClass)
        #expect(architecture.outputHead == head)
    }

    @Test("SegFormer's per-stage arrays, labels from id2label, dropout shares")
    func segformerConfig() throws {
        let a = try Self.config("""
            {"model_type": "segformer", "hidden_sizes": [64, 128, 320, 512], "depths": [3, 4, 6, 3], "sr_ratios": [8, 4, 2, 1],
             "strides": [4, 2, 2, 2], "patch_sizes": [7, 3, 3, 3], "num_attention_heads": [1, 2, 5, 8], "mlp_ratios": [4, 4, 4, 4],
             "decoder_hidden_size": 768, "id2label": {"0": "a", "1": "b", "2": "c"}, "image_size": 224, "num_channels": 3,
             "attention_probs_dropout_prob": 0.0, "hidden_dropout_prob": 0.1}
            """)
        let v = try #require(a.vision)
        #expect(v.stageWidths == [64, 128, 320, 512])
        #expect(v.stageDepths == [3, 4, 6, 3])
        #expect(v.reductionRatios == [8, 4, 2, 1])
        #expect(v.stageHeads == [1, 2, 5, 8])
        #expect(v.patchSizes == [7, 3, 3, 3])
        #expect(v.decoderWidth == 768)
        #expect(a.labels == 3)
        #expect(a.attentionHeads == nil)
        #expect(a.hiddenDropout == 0.1 && a.attentionDropout == 0)
    }

    @Test("a negative stage width names its key")
    func badStage() {
        #expect(throws: ModelFileError.self) { try Self.config(#"{"model_type": "segformer", "hidden_sizes": [64, -1]}"#) }
    }

    @Test("image sizes parse as a side or height × width; anything else is refused")
    func imageSizes() {
        #expect(ImageSize(parsing: "1024") == ImageSize(height: 1024, width: 1024))
        #expect(ImageSize(parsing: "512x768") == ImageSize(height: 512, width: 768))
        #expect(ImageSize(parsing: "512X768")?.width == 768)
        for bad in ["", "x", "512x", "a", "1x2x3", "99999999999999999999"] { #expect(ImageSize(parsing: bad) == nil) }
    }
}
