import HeadroomPlanner
import Testing

/// Peak memory of real PyTorch runs on a CPU (`scripts/bench-plan-accuracy.sh`: random-weight models built
/// from these configs, each run in a fresh process, the kernel's high-water mark minus the RSS after import),
/// pinned so that a change to a formula that moves a plan out of ±20% of what a run used fails here.
/// The models are rebuilt from their configs, parameter counts and largest tensors; no torch is needed.
@Suite("plans within 20% of measured PyTorch runs")
struct PlanAccuracyReferenceTests {
    struct Model {
        var parameters: Int64
        /// Elements of the largest tensor (an optimizer step on a CPU works a tensor at a time).
        var largest: Int64
        var bf16: Bool
        var config: String
    }

    struct Row: CustomTestStringConvertible {
        var model: String
        var run: MemoryModelOptions.Run
        var batch: Int64
        var sequence: Int64?
        var image: Int64?
        var newTokens: Int64
        /// Peak bytes over the post-import baseline, from measured.json.
        var measured: Int64

        init(model: String, run: MemoryModelOptions.Run, batch: Int64, sequence: Int64? = nil, image: Int64? = nil,
             newTokens: Int64, measured: Int64) {
            self.model = model
            self.run = run
            self.batch = batch
            self.sequence = sequence
            self.image = image
            self.newTokens = newTokens
            self.measured = measured
        }

        var testDescription: String {
            "\(model) \(run.rawValue) batch \(batch) " + (sequence.map { "\($0) tokens" } ?? image.map { "\($0)²" } ?? "")
        }
    }

    static let models: [String: Model] = [
        "llama-125m-fp32": Model(parameters: 124668672, largest: 24576000, bf16: false,
                     config: #"{"model_type":"llama","architectures":["LlamaForCausalLM"],"num_hidden_layers":12,"hidden_size":768,"num_attention_heads":12,"num_key_value_heads":4,"intermediate_size":2048,"vocab_size":32000,"max_position_embeddings":2048,"attention_dropout":0.0}"#),
        "llama-125m-bf16": Model(parameters: 124668672, largest: 24576000, bf16: true,
                     config: #"{"model_type":"llama","architectures":["LlamaForCausalLM"],"num_hidden_layers":12,"hidden_size":768,"num_attention_heads":12,"num_key_value_heads":4,"intermediate_size":2048,"vocab_size":32000,"max_position_embeddings":2048,"attention_dropout":0.0}"#),
        "bert-base": Model(parameters: 109514298, largest: 23440896, bf16: false,
                     config: #"{"model_type":"bert","architectures":["BertForMaskedLM"],"num_hidden_layers":12,"hidden_size":768,"num_attention_heads":12,"intermediate_size":3072,"vocab_size":30522,"max_position_embeddings":512,"attention_probs_dropout_prob":0.1,"hidden_dropout_prob":0.1}"#),
        "segformer-b2": Model(parameters: 27463511, largest: 2359296, bf16: false,
                     config: #"{"model_type":"segformer","architectures":["SegformerForSemanticSegmentation"],"num_attention_heads":[1,2,5,8],"attention_probs_dropout_prob":0.0,"hidden_dropout_prob":0.0,"hidden_sizes":[64,128,320,512],"depths":[3,4,6,3],"sr_ratios":[8,4,2,1],"strides":[4,2,2,2],"patch_sizes":[7,3,3,3],"mlp_ratios":[4,4,4,4],"decoder_hidden_size":768,"num_channels":3,"num_labels":150}"#),
        "vit-b16": Model(parameters: 86567656, largest: 2359296, bf16: false,
                     config: #"{"model_type":"vit","architectures":["ViTForImageClassification"],"num_hidden_layers":12,"hidden_size":768,"num_attention_heads":12,"intermediate_size":3072,"attention_probs_dropout_prob":0.0,"hidden_dropout_prob":0.0,"num_channels":3,"image_size":224,"patch_size":16,"num_labels":1000}"#),
    ]

    static let rows: [Row] = [
        Row(model: "llama-125m-fp32", run: .forward, batch: 1, sequence: 128, newTokens: 0, measured: 568692736),
        Row(model: "llama-125m-fp32", run: .forward, batch: 8, sequence: 1024, newTokens: 0, measured: 1862574080),
        Row(model: "llama-125m-fp32", run: .generate, batch: 4, sequence: 512, newTokens: 32, measured: 740147200),
        Row(model: "llama-125m-fp32", run: .training, batch: 1, sequence: 256, newTokens: 0, measured: 2444042240),
        Row(model: "llama-125m-fp32", run: .training, batch: 8, sequence: 512, newTokens: 0, measured: 6811631616),
        Row(model: "llama-125m-bf16", run: .forward, batch: 8, sequence: 1024, newTokens: 0, measured: 912076800),
        Row(model: "llama-125m-bf16", run: .generate, batch: 4, sequence: 512, newTokens: 32, measured: 404185088),
        Row(model: "bert-base", run: .forward, batch: 32, sequence: 512, newTokens: 0, measured: 2590961664),
        Row(model: "bert-base", run: .training, batch: 8, sequence: 128, newTokens: 0, measured: 3014000640),
        Row(model: "segformer-b2", run: .forward, batch: 8, image: 512, newTokens: 0, measured: 3993780224),
        Row(model: "segformer-b2", run: .forward, batch: 1, image: 1024, newTokens: 0, measured: 2873159680),
        Row(model: "segformer-b2", run: .forward, batch: 4, image: 1024, newTokens: 0, measured: 7674433536),
        Row(model: "segformer-b2", run: .training, batch: 4, image: 512, newTokens: 0, measured: 6673604608),
        Row(model: "vit-b16", run: .forward, batch: 32, image: 224, newTokens: 0, measured: 802336768),
        Row(model: "vit-b16", run: .training, batch: 16, image: 224, newTokens: 0, measured: 3336253440),
    ]

    static func inventory(_ model: Model) throws -> ModelInventory {
        let type = model.bf16 ? ElementType(name: "BF16", blockBytes: 2) : ElementType(name: "F32", blockBytes: 4)
        let architecture = try ModelArchitecture.readConfig(ModelFile(bytes: Array(model.config.utf8), path: "config.json"))
        let tensors = [("largest", model.largest), ("rest", model.parameters - model.largest)].map { name, elements in
            TensorInfo(name: name, type: type, shape: [elements], elementCount: elements, byteCount: elements * type.blockBytes)
        }
        return ModelInventory(format: .safetensors, files: ["model.safetensors"], tensors: tensors, architecture: architecture)
    }

    @Test("the CPU plan is within 20% of the measured peak", arguments: rows)
    func withinTwentyPercent(row: Row) throws {
        let model = try #require(Self.models[row.model])
        let options = MemoryModelOptions(sequenceLength: row.sequence, run: row.run, newTokens: row.newTokens,
                                         image: row.image.map { ImageSize(height: $0, width: $0) }, device: .cpu)
        let planned = try MemoryModel(inventory: try Self.inventory(model), options: options).estimate(batch: row.batch).total
        let ratio = Double(planned.bytes) / Double(row.measured)
        #expect((0.8...1.2).contains(ratio), "planned \(planned) for a measured \(ByteCount(row.measured)): ×\(ratio)")
    }
}
