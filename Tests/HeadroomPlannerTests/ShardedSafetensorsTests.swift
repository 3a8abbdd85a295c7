import Foundation
import HeadroomPlanner
import Testing

@Suite("sharded safetensors through the index")
struct ShardedSafetensorsTests {
    func index(_ map: [String: String]) -> String {
        let entries = map.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
        return #"{"metadata":{"total_size":0},"weight_map":{"# + entries + "}}"
    }

    @Test("reads every shard and sums their tensors")
    func twoShards() throws {
        let directory = try FixtureDirectory()
        try directory.write("model-00001-of-00002.safetensors", SafetensorsFixture.bytes([("a", "F16", [10, 10])]))
        try directory.write("model-00002-of-00002.safetensors", SafetensorsFixture.bytes([("b", "F32", [5]), ("c", "I8", [3])]))
        try directory.write("model.safetensors.index.json", text: index([
            "a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors", "c": "model-00002-of-00002.safetensors"]))
        let inventory = try ModelInventory.load(path: directory.path)
        #expect(inventory.format == .safetensors)
        #expect(inventory.tensors.map(\.name) == ["a", "b", "c"])
        #expect(inventory.parameterCount == 108)
        #expect(inventory.weightBytes == 200 + 20 + 3)
        #expect(inventory.files.count == 3)
    }

    @Test("a missing shard names the shard and a tensor in it")
    func missingShard() throws {
        let directory = try FixtureDirectory()
        let path = try directory.write("model.safetensors.index.json", text: index(["a": "gone.safetensors"]))
        #expect(throws: ModelFileError.self) { try SafetensorsIndexReader.read(path: path) }
        do {
            _ = try SafetensorsIndexReader.read(path: path)
        } catch {
            #expect(error.rule == .missingShard)
            #expect(error.tensor == "a")
            #expect(error.message.contains("gone.safetensors"))
        }
    }

    @Test("a tensor the index places in a shard that lacks it is refused")
    func tensorNotInShard() throws {
        let directory = try FixtureDirectory()
        try directory.write("s.safetensors", SafetensorsFixture.bytes([("a", "F16", [2])]))
        let path = try directory.write("model.safetensors.index.json", text: index(["a": "s.safetensors", "z": "s.safetensors"]))
        do {
            _ = try SafetensorsIndexReader.read(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.rule == .missingShard)
            #expect(error.tensor == "z")
        }
    }

    @Test("indexes that name each other are a cycle")
    func cycle() throws {
        let directory = try FixtureDirectory()
        try directory.write("a.index.json", text: index(["x": "b.index.json"]))
        let path = try directory.write("b.index.json", text: index(["y": "a.index.json"]))
        do {
            _ = try SafetensorsIndexReader.read(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.rule == .cyclicShards)
        }
    }

    @Test("a shard path that leaves the directory is refused")
    func escapingPath() throws {
        let directory = try FixtureDirectory()
        let path = try directory.write("model.safetensors.index.json", text: index(["a": "../etc/passwd"]))
        #expect(throws: ModelFileError.self) { try SafetensorsIndexReader.read(path: path) }
    }

    @Test("a directory with no model says so")
    func noModel() throws {
        let directory = try FixtureDirectory()
        try directory.write("notes.txt", text: "hello")
        do {
            _ = try ModelInventory.load(path: directory.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.rule == .noModel)
            #expect(error.description.contains("no model here"))
        }
    }

    @Test("config.json beside the weights supplies the hyper-parameters")
    func config() throws {
        let directory = try FixtureDirectory()
        try directory.write("model.safetensors", SafetensorsFixture.bytes([("w", "F16", [8])]))
        try directory.write("config.json", text: """
            {"model_type":"llama","num_hidden_layers":32,"hidden_size":4096,"num_attention_heads":32,
             "num_key_value_heads":8,"vocab_size":128256,"max_position_embeddings":8192,"intermediate_size":14336}
            """)
        let architecture = try #require(try ModelInventory.load(path: directory.path).architecture)
        #expect(architecture.name == "llama")
        #expect(architecture.layers == 32)
        #expect(architecture.effectiveKeyValueHeads == 8)
        #expect(architecture.effectiveHeadDimension == 128)
        #expect(architecture.vocabularySize == 128_256)
        #expect(architecture.maximumPositions == 8192)
    }

    @Test("a config.json that is not an object is an error naming it")
    func badConfig() throws {
        let directory = try FixtureDirectory()
        try directory.write("model.safetensors", SafetensorsFixture.bytes([("w", "F16", [8])]))
        try directory.write("config.json", text: "[1]")
        do {
            _ = try ModelInventory.load(path: directory.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.rule == .badJSON)
            #expect(error.path.hasSuffix("config.json"))
        }
    }
}

extension ShardedSafetensorsTests {
    @Test("a directory of safetensors files without an index sums them all")
    func unindexed() throws {
        let directory = try FixtureDirectory()
        try directory.write("a.safetensors", SafetensorsFixture.bytes([("x", "F32", [10])]))
        try directory.write("b.safetensors", SafetensorsFixture.bytes([("y", "I8", [5])]))
        let inventory = try ModelInventory.load(path: directory.path)
        #expect(inventory.weightBytes == 45)
        #expect(inventory.files.count == 2)
    }

    @Test("two GGUF files in one directory ask which to plan")
    func ambiguous() throws {
        let directory = try FixtureDirectory()
        try directory.write("a.gguf", GGUFFixture().bytes())
        try directory.write("b.gguf", GGUFFixture().bytes())
        do {
            _ = try ModelInventory.load(path: directory.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.rule == .noModel)
            #expect(error.message.contains("name the one"))
        }
    }
}
