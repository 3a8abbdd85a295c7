import HeadroomPlanner
import Testing

@Suite("serving engines: the largest context that fits")
struct EngineFitTests {
    /// Llama-3-8B's shapes in f16: 32 blocks of 200 MiB (2 MiB of them expert tensors), 1 GiB of embeddings and 1 GiB of output head.
    static let eightB: ModelInventory = {
        var tensors: [TensorInfo] = []
        for layer in 0..<32 {
            tensors.append(PlannerFixtures.tensor("blk.\(layer).attn.weight", elements: 99 << 20))
            tensors.append(PlannerFixtures.tensor("blk.\(layer).ffn_up_exps.weight", elements: 1 << 20))
        }
        tensors.append(PlannerFixtures.tensor("token_embd.weight", elements: 1 << 29))
        tensors.append(PlannerFixtures.tensor("output.weight", elements: 1 << 29))
        let a = ModelArchitecture(name: "llama", layers: 32, hiddenSize: 4096, attentionHeads: 32, keyValueHeads: 8,
                                  intermediateSize: 14336, vocabularySize: 128_256, maximumPositions: 131_072, source: "gguf")
        return ModelInventory(format: .gguf, files: ["m.gguf"], tensors: tensors, architecture: a)
    }()

    static func fit(_ settings: EngineSettings, gpu: ByteCount) throws -> EngineFit {
        let planner = try Planner(inventory: eightB, options: MemoryModelOptions())
        let machine = MachineResources(gpus: [.init(index: 0, name: "test", free: gpu)], hostAvailable: .gibibytes(64))
        return try #require(planner.report(machine: machine, engine: settings).engine)
    }

    @Test("vLLM: utilization × memory − weights − activations − overhead, over KV bytes per token")
    func vllm() throws {
        let fit = try Self.fit(EngineSettings(kind: .vllm, contextLength: 8192), gpu: .gibibytes(80))
        let target = try #require(fit.targets.first)
        // 2 × 32 layers × 8 KV heads × 128 × 2 bytes.
        #expect(target.kvPerToken.bytes == 131_072)
        let left = target.budget - target.weights - target.activations - target.overhead
        let capacity = left.bytes / target.kvPerToken.bytes
        #expect(target.largestContext == min(131_072, capacity / 256 * 256))
        #expect(target.fits)
        #expect(target.concurrentSequences == min(256, capacity / 8192))
        let fp8 = try #require(try Self.fit(EngineSettings(kind: .vllm, kvCache: .fp8), gpu: .gibibytes(80)).targets.first)
        #expect(fp8.kvPerToken.bytes == 65_536)
    }

    @Test("vLLM on a GPU the weights do not fit: no context at all")
    func vllmTooSmall() throws {
        let target = try #require(try Self.fit(EngineSettings(kind: .vllm), gpu: .gibibytes(8)).targets.first)
        #expect(target.largestContext == 0)
        #expect(!target.fits)
    }

    @Test("llama.cpp: KV type, layers on the GPU and expert offload each change what fits")
    func llamaCpp() throws {
        let all = try #require(try Self.fit(EngineSettings(kind: .llamaCpp, kvCache: .q8_0), gpu: .gibibytes(24)).targets.first)
        #expect(all.kvPerToken.bytes == 2 * 32 * 8 * 128 * 34 / 32)
        // Every block, and the output head; the embeddings stay in host RAM.
        #expect(all.weights.bytes == 32 * (100 << 21) + (1 << 30))
        let half = try Self.fit(EngineSettings(kind: .llamaCpp, gpuLayers: 16, kvCache: .q8_0), gpu: .gibibytes(24))
        #expect(half.gpuLayers == 16)
        #expect(half.targets[0].weights.bytes == 16 * (100 << 21))
        #expect(half.targets[0].kvPerToken.bytes * 2 == all.kvPerToken.bytes)
        #expect(half.targets[0].largestContext >= all.largestContext)
        let experts = try Self.fit(EngineSettings(kind: .llamaCpp, offloadExperts: true), gpu: .gibibytes(24))
        #expect(experts.targets[0].weights.bytes == 32 * (99 << 21) + (1 << 30))
    }

    @Test("without a GPU, every catalog GPU with its own memory is fitted")
    func catalog() throws {
        let planner = try Planner(inventory: Self.eightB, options: MemoryModelOptions())
        let report = planner.report(machine: MachineResources(gpus: [], hostAvailable: .gibibytes(64)), engine: EngineSettings(kind: .vllm))
        let targets = try #require(report.engine?.targets)
        #expect(targets.count == GPUCatalog.standard.filter { !$0.isUnifiedMemory }.count)
        let largest = try #require(targets.max { $0.memory < $1.memory })
        #expect(largest.largestContext == targets.map(\.largestContext).max())
        #expect(targets.first { $0.memory <= .gibibytes(8) }?.largestContext == 0)
    }
}
