import Foundation
import HeadroomPlanner
import Testing

@Suite("ONNX initializer reader")
struct ONNXReaderTests {
    @Test("inline initializers: dims, types and bytes, packed and unpacked dims")
    func inline() throws {
        let model = ONNXFixture.model([
            ONNXFixture.tensor(name: "w", dims: [64, 32], dataType: 1, rawData: 8192),
            ONNXFixture.tensor(name: "b", dims: [32], dataType: 10, rawData: 64, packed: true),
            ONNXFixture.tensor(name: "q", dims: [3, 5], dataType: 22, rawData: 8),
        ])
        let contents = try ONNXReader.read(ModelFile(bytes: model, path: "m.onnx"), directory: nil)
        #expect(contents.tensors.map(\.name) == ["w", "b", "q"])
        #expect(contents.tensors.map(\.shape) == [[64, 32], [32], [3, 5]])
        #expect(contents.tensors.map(\.byteCount) == [8192, 64, 8])
        #expect(contents.tensors.map(\.type.name) == ["FLOAT", "FLOAT16", "INT4"])
        #expect(contents.inlineBytes == 8264)
    }

    @Test("external initializers are checked against the file beside the model")
    func external() throws {
        let directory = try FixtureDirectory()
        try directory.write("weights.bin", [UInt8](repeating: 0, count: 4096 + 1024))
        let model = ONNXFixture.model([
            ONNXFixture.tensor(name: "a", dims: [1024], dataType: 1, external: [("location", "weights.bin"), ("offset", "0"), ("length", "4096")]),
            ONNXFixture.tensor(name: "b", dims: [512], dataType: 16, external: [("location", "weights.bin"), ("offset", "4096")]),
            ONNXFixture.tensor(name: "c", dims: [4], dataType: 7, rawData: 32),
        ])
        let path = try directory.write("model.onnx", model)
        let inventory = try ModelInventory.load(path: path)
        #expect(inventory.format == .onnx)
        #expect(inventory.weightBytes == 4096 + 1024 + 32)
        #expect(inventory.parameterCount == 1540)
        #expect(inventory.files.contains { $0.hasSuffix("weights.bin") })
    }

    @Test("external data past the end of its file, or a missing file, is refused")
    func externalErrors() throws {
        let directory = try FixtureDirectory()
        try directory.write("weights.bin", [UInt8](repeating: 0, count: 100))
        let past = try directory.write("past.onnx", ONNXFixture.model([
            ONNXFixture.tensor(name: "a", dims: [1024], dataType: 1, external: [("location", "weights.bin")])]))
        #expect(throws: ModelFileError.self) { try ONNXReader.read(path: past) }
        let missing = try directory.write("missing.onnx", ONNXFixture.model([
            ONNXFixture.tensor(name: "a", dims: [1], dataType: 1, external: [("location", "nope.bin")])]))
        do {
            _ = try ONNXReader.read(path: missing)
            Issue.record("expected an error")
        } catch {
            #expect(error.rule == .missingShard)
            #expect(error.tensor == "a")
        }
    }

    @Test("a 256 MiB raw_data field is skipped by its length, not read")
    func largeSkipped() throws {
        let directory = try FixtureDirectory()
        let size = 256 << 20
        // The tensor's header fields, then raw_data's key and length; the data itself is a sparse hole.
        var tensor = ONNXFixture.varintField(1, UInt64(size / 4)) + ONNXFixture.varintField(2, 1) + ONNXFixture.stringField(8, "big")
        tensor += ONNXFixture.key(9, 2) + ONNXFixture.varint(UInt64(size))
        let graphLength = 1 + ONNXFixture.varint(UInt64(tensor.count + size)).count + tensor.count + size
        let prefix = ONNXFixture.key(7, 2) + ONNXFixture.varint(UInt64(graphLength))
            + ONNXFixture.key(5, 2) + ONNXFixture.varint(UInt64(tensor.count + size)) + tensor
        let path = try directory.write("big.onnx", prefix)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(prefix.count + size))
        try handle.close()
        let contents = try ONNXReader.read(path: path)
        #expect(contents.tensors.first?.byteCount == Int64(size))
    }

    @Test("malformed models are refused with the tensor and rule")
    func malformed() {
        func failure(_ bytes: [UInt8]) -> ModelFileError? {
            do { _ = try ONNXReader.read(ModelFile(bytes: bytes, path: "m.onnx"), directory: nil); return nil } catch { return error }
        }
        #expect(failure(ONNXFixture.model([ONNXFixture.tensor(name: "w", dims: [4], dataType: 1, rawData: 12)]))?.rule == .sizeMismatch)
        #expect(failure(ONNXFixture.model([ONNXFixture.tensor(name: "w", dims: [4], dataType: 99)]))?.rule == .unknownType)
        #expect(failure(ONNXFixture.model([ONNXFixture.tensor(name: "w", dims: [-4], dataType: 1)]))?.rule == .badShape)
        #expect(failure(ONNXFixture.model([ONNXFixture.tensor(name: "w", dims: [1 << 40, 1 << 40], dataType: 1)]))?.rule == .badShape)
        #expect(failure(ONNXFixture.model([ONNXFixture.tensor(name: "w", dims: [1], dataType: 1),
                                           ONNXFixture.tensor(name: "w", dims: [1], dataType: 1)]))?.rule == .duplicate)
        let model = ONNXFixture.model([ONNXFixture.tensor(name: "w", dims: [4], dataType: 1, rawData: 16)])
        #expect(failure(Array(model.dropLast(5)))?.rule == .lengthPastEnd)
        #expect(failure([0x3a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])?.rule == .lengthPastEnd)
        #expect(failure([0x0b])?.rule == .badField)  // wire type 3, a group
        #expect(failure(ONNXFixture.model([ONNXFixture.tensor(name: "e", dims: [1], dataType: 1, external: [("location", "/etc/passwd")])]))?.rule == .badField)
    }
}
