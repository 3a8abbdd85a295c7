import Foundation
import HeadroomSystemTestKit
import Testing

/// `headroom plan` as a user runs it, on model files written by the test.
@Suite("headroom plan")
struct PlanCommandTests {
    /// A directory with a two-layer safetensors model (F16) and its config.json.
    static func model() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-plan-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var entries: [String] = []
        var offset = 0
        for (name, count) in [("model.embed_tokens.weight", 100 * 256), ("model.layers.0.mlp.weight", 256 * 512), ("model.layers.1.mlp.weight", 256 * 512)] {
            entries.append("\"\(name)\":{\"dtype\":\"F16\",\"shape\":[\(count)],\"data_offsets\":[\(offset),\(offset + 2 * count)]}")
            offset += 2 * count
        }
        let header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header + [UInt8](repeating: 0, count: offset)
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/model.safetensors"))
        try Data("""
            {"model_type":"llama","num_hidden_layers":2,"hidden_size":256,"num_attention_heads":8,"num_key_value_heads":2,
             "intermediate_size":512,"vocab_size":100,"max_position_embeddings":128}
            """.utf8).write(to: URL(fileURLWithPath: directory + "/config.json"))
        return directory
    }

    @Test("--json holds the model, the table, tiers, catalog and split")
    func json() throws {
        let directory = try PlanCommandTests.model()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try CLI.run(["plan", directory, "--json", "--gpu-memory", "600MiB", "--level", "extreme"])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try CLI.json(result)
        #expect(json.int("model.parameterCount") == 287_744)
        #expect(json.int("model.weightBytes") == 575_488)
        #expect(json.int("model.architecture.layers") == 2)
        #expect(json.int("settings.sequenceLength") == 128)
        #expect(json.string("settings.run") == "generate")
        #expect(json.string("settings.modelClass") == "decoder")
        // KV 2·2·2·32·129·2 = 66,048 for the prompt and one new token; one block's workspace 4,608 × 128 = 589,824;
        // the last logits 100 × (2 + 4) = 600.
        #expect(json.int("perItemBytes") == 656_472)
        #expect(json.int("table.0.batchSize") == 1)
        let live: Int64 = 575_488 + 656_472
        let total: Int64 = live + live / 10 + 536_870_912
        #expect(json.int("table.0.totalBytes") == total)
        #expect(json.string("catalog.0.verdict") == "fits")
        #expect(json.int("thisMachine.gpus.0.largestBatch") ?? 0 > 0)
        #expect(json.at("split") == nil)
        #expect(json.string("tiers.derivation")?.contains("batch 1") == true)
    }

    @Test("--json carries the batcher's fixed and per-item memory: fixed + per-item × batch is every row's total (one phase)")
    func batchingKeys() throws {
        let directory = try PlanCommandTests.model()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try CLI.run(["plan", directory, "--json", "--gpu-memory", "8GiB"])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try CLI.json(result)
        let fixed = try #require(json.int("batching.fixedBytes"))
        let perItem = try #require(json.int("batching.perItemBytes"))
        // Reserve and overhead included: 10% over live memory, 512 MiB of runtime overhead.
        #expect(abs(perItem - (656_472 + 65_647)) <= 1)
        #expect(fixed > 575_488 + 536_870_912)
        var row = 0
        while let batch = json.int("table.\(row).batchSize"), let total = json.int("table.\(row).totalBytes") {
            #expect(abs(fixed + perItem * batch - total) <= batch, "batch \(batch)")
            row += 1
        }
        #expect(row >= 4)
    }

    @Test("--batch-size gives the estimate there; --device cpu drops the CUDA context and reserve and fits host RAM")
    func batchAndDevice() throws {
        let directory = try PlanCommandTests.model()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let json = try CLI.json(try CLI.run(["plan", directory, "--json", "--device", "cpu", "--batch-size", "3", "--mode", "forward"]))
        #expect(json.int("estimate.batchSize") == 3)
        #expect(json.string("estimate.phase") == "forward")
        #expect(json.string("settings.device") == "cpu")
        #expect(json.int("settings.runtimeOverheadBytes") == 50 << 20)
        #expect(json.string("settings.runtimeOverheadSource")?.contains("no CUDA context") == true)
        #expect(json.int("thisMachine.cpu.largestBatch") ?? 0 > 0)
        let text = try CLI.run(["plan", directory, "--device", "cpu", "--batch-size", "3", "--training"])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("Batch 3:") && text.standardOutput.contains("first step"))
        #expect(text.standardOutput.contains("Overhead: 50.0 MiB"))
    }

    @Test("inputs that cannot be right: warnings for a text model, errors for impossible flags", arguments: [
        (["--image-size", "512"], 0, "--image-size 512² ignored"),
        (["--sequence-length", "4096"], 0, "longer than the model's context of 128"),
        (["--image-size", "0x5"], 64, "--image-size takes sides of 1 to 65536"),
        (["--image-size", "big"], 64, "--image-size"),
        (["--batch-size", "0"], 64, "--batch-size takes 1 to 4096"),
        (["--mixed-precision"], 64, "--mixed-precision plans training"),
        (["--training", "--mode", "forward"], 64, "disagree"),
        (["--max-model-len", "4096"], 64, "need --engine"),
        (["--engine", "vllm", "--n-gpu-layers", "3"], 64, "llama.cpp's"),
        (["--engine", "vllm", "--gpu-memory-utilization", "1.5"], 64, "--gpu-memory-utilization takes a share"),
    ])
    func badInputs(flags: [String], status: Int32, message: String) throws {
        let directory = try PlanCommandTests.model()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try CLI.run(["plan", directory, "--gpu-memory", "8GiB"] + flags)
        #expect(result.status == status, "\(result.standardError)")
        #expect((result.standardOutput + result.standardError).contains(message), "\(result.standardOutput)\(result.standardError)")
    }

    @Test("--engine says the largest context that fits, as text and JSON")
    func engine() throws {
        let directory = try PlanCommandTests.model()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let json = try CLI.json(try CLI.run(["plan", directory, "--json", "--gpu-memory", "8GiB", "--engine", "llama.cpp", "--kv-dtype", "q8_0"]))
        #expect(json.string("engine.settings.kind") == "llama.cpp")
        #expect(json.int("engine.targets.0.largestContext") == 128)
        let text = try CLI.run(["plan", directory, "--gpu-memory", "8GiB", "--engine", "vllm", "--max-model-len", "64"])
        #expect(text.standardOutput.contains("vllm: largest context that fits"), "\(text.standardOutput)")
    }

    @Test("--level sets the budgets and the tiers' headroom")
    func level() throws {
        let directory = try PlanCommandTests.model()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var recommended: [String: Int64] = [:]
        for level in ["conservative", "balanced", "extreme"] {
            let json = try CLI.json(try CLI.run(["plan", directory, "--json", "--gpu-memory", "8GiB", "--level", level]))
            #expect(json.string("settings.level") == level)
            #expect(json.string("tiers.derivation")?.contains("the \(level) level's share") == true)
            let budget = try #require(json.int("thisMachine.gpus.0.budgetBytes"))
            let margin = ["conservative": 0.5, "balanced": 0.75, "extreme": 0.95][level]!
            #expect(budget == Int64((Double(8 << 30) * margin).rounded(.down)) || budget == Int64((Double(8 << 30) * margin).rounded()))
            recommended[level] = json.int("tiers.recommendedBytes")
        }
        // Less headroom kept, a smaller recommended size.
        #expect(recommended["conservative"]! > recommended["balanced"]!)
        #expect(recommended["balanced"]! > recommended["extreme"]!)
    }

    @Test("human output shows the parts by batch and the catalog; --emit slurm adds directives")
    func text() throws {
        let directory = try PlanCommandTests.model()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try CLI.run(["plan", directory, "--emit", "slurm"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("kv cache"))
        #expect(result.standardOutput.contains("NVIDIA H100 80 GB"))
        #expect(result.standardOutput.contains("Tiers: minimum"))
        #expect(result.standardOutput.contains("#SBATCH --gres=gpu:1"))
    }

    @Test("a malformed file fails with one line naming the file, offset and rule, exit 1")
    func malformed() throws {
        let directory = try PlanCommandTests.model()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/model.safetensors"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 100)
        try handle.close()
        let result = try CLI.run(["plan", path])
        #expect(result.status == 1)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains(path) == true)
        #expect(lines.first?.contains("byte 0") == true)
        #expect(lines.first?.contains("[length-past-end]") == true)
    }

    @Test("bad flags exit 64", arguments: [["--dtype", "int3"], ["--measured", "1:5GiB"], ["--sequence-length", "0"],
                                           ["--training", "--dtype", "int4"], ["--emit", "nomad"]])
    func badFlags(flags: [String]) throws {
        let result = try CLI.run(["plan", "/nonexistent"] + flags)
        #expect(result.status == 64, "\(result.standardError)")
    }

    @Test("a directory with no model exits 1 and says so")
    func noModel() throws {
        let result = try CLI.run(["plan", FileManager.default.temporaryDirectory.path + "/headroom-no-model-\(UUID().uuidString)"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("[no-model]"))
    }
}

extension PlanCommandTests {
    @Test("this machine's GPUs come from the probe: free memory × the level's margin")
    func probedGPUs() throws {
        let directory = try PlanCommandTests.model()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let nvml = try FakeNVML.library(scenario: FakeMachineTests.twoGPUs)
        let result = try CLI.run(["plan", directory, "--json", "--level", "conservative", "--per-item", "1GiB"], nvml: nvml)
        #expect(result.status == 0, "\(result.standardError)")
        let json = try CLI.json(result)
        let (gib, mib) = (FakeMachineTests.gib, FakeMachineTests.mib)
        let free = 80 * gib - 512 * mib - 12 * gib
        #expect(json.string("thisMachine.gpus.0.name") == "NVIDIA H100 80GB HBM3")
        #expect(json.int("thisMachine.gpus.0.freeBytes") == free)
        #expect(json.int("thisMachine.gpus.0.budgetBytes") == free / 2)
        #expect(json.int("thisMachine.gpus.1.budgetBytes") == 12 * gib)
        // 512 MiB + 1.1 × (weights + b GiB) within 33.75 GiB and 12 GiB.
        #expect(json.int("thisMachine.gpus.0.largestBatch") == 30)
        #expect(json.int("thisMachine.gpus.1.largestBatch") == 10)
    }
}
