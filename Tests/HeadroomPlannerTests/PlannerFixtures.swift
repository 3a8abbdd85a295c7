import HeadroomPlanner

/// Inventories built in memory, so each formula can be checked against numbers worked by hand.
enum PlannerFixtures {
    static let f16 = ElementType(name: "F16", blockBytes: 2)

    static func tensor(_ name: String, elements: Int64, type: ElementType = f16) -> TensorInfo {
        TensorInfo(name: name, type: type, shape: [elements], elementCount: elements, byteCount: elements * type.blockBytes)
    }

    /// 2 layers, hidden 256, 8 heads (2 KV, head 32), MLP 512, vocabulary 100; 1,000 F16 parameters.
    static let small = ModelArchitecture(name: "llama", layers: 2, hiddenSize: 256, attentionHeads: 8, keyValueHeads: 2,
                                         intermediateSize: 512, vocabularySize: 100, maximumPositions: 8192, source: "test")

    static func transformer(parameters: Int64 = 1000) -> ModelInventory {
        ModelInventory(format: .safetensors, files: ["t"], tensors: [tensor("w", elements: parameters)], architecture: small)
    }

    /// Four 1 GiB blocks and a 0.5 GiB embedding, no hyper-parameters.
    static func layered() -> ModelInventory {
        let gib: Int64 = 1 << 30
        var tensors = (0..<4).map { tensor("blk.\($0).ffn.weight", elements: gib / 2) }
        tensors.append(tensor("token_embd.weight", elements: gib / 4))
        return ModelInventory(format: .gguf, files: ["g"], tensors: tensors, architecture: nil)
    }
}
