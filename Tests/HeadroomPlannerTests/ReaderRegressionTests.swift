import HeadroomPlanner
import Testing

/// Inputs that once reached a trap, kept so they never do again.
@Suite("reader regressions")
struct ReaderRegressionTests {
    @Test("an ONNX field key as a tensor message's last byte, its length beyond the message")
    func keyAtMessageEnd() {
        // Found in review: the length was subtracted from a message end already passed.
        let graph = ONNXFixture.bytesField(5, [0x42]) + ONNXFixture.stringField(2, "main")
        let model = ONNXFixture.bytesField(7, graph)
        #expect(throws: ModelFileError.self) { try ONNXReader.read(ModelFile(bytes: model, path: "m.onnx"), directory: nil) }
    }

    @Test("safetensors offsets at the top of Int64 do not overflow the error's offset")
    func offsetsAtInt64Max() {
        let bytes = SafetensorsFixture.raw(
            header: #"{"a":{"dtype":"U8","shape":[0],"data_offsets":[9223372036854775807,9223372036854775807]}}"#, dataBytes: 0)
        #expect(throws: ModelFileError.self) { try SafetensorsReader.read(ModelFile(bytes: bytes)) }
    }

    @Test("a GGUF array of arrays nested past the limit")
    func deepArrays() {
        var value = GGUFFixture.Value.array(4, [.u32(1)])
        for _ in 0..<8 { value = .array(9, [value]) }
        let bytes = GGUFFixture(metadata: [("deep", value)]).bytes()
        #expect(throws: ModelFileError.self) { try GGUFReader.read(ModelFile(bytes: bytes)) }
    }
}
