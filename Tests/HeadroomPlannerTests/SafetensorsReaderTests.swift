import Foundation
import HeadroomPlanner
import Testing

@Suite("safetensors header reader")
struct SafetensorsReaderTests {
    func read(_ bytes: [UInt8]) throws(ModelFileError) -> SafetensorsReader.Contents {
        try SafetensorsReader.read(ModelFile(bytes: bytes, path: "m.safetensors"))
    }

    func rule(_ bytes: [UInt8]) -> ModelFileError? {
        do { _ = try read(bytes); return nil } catch { return error }
    }

    @Test("counts elements and bytes of every tensor exactly")
    func counts() throws {
        let bytes = SafetensorsFixture.bytes([("w", "F16", [4, 6]), ("b", "F32", [6]), ("e", "I64", [3, 2, 2])],
                                             metadata: ["format": "pt"])
        let contents = try read(bytes)
        #expect(contents.tensors.map(\.name) == ["b", "e", "w"])
        #expect(contents.tensors.map(\.elementCount) == [6, 12, 24])
        #expect(contents.tensors.map(\.byteCount) == [24, 96, 48])
        #expect(contents.metadata == ["format": "pt"])
        #expect(contents.headerBytes == Int64(bytes.count) - 168)
    }

    @Test("reads a real file from disk through pread")
    func fromDisk() throws {
        let directory = try FixtureDirectory()
        let path = try directory.write("model.safetensors", SafetensorsFixture.bytes([("a", "BF16", [1000, 10])]))
        let contents = try SafetensorsReader.read(path: path)
        #expect(contents.tensors.first?.byteCount == 20_000)
    }

    @Test("a file shorter than 8 bytes is truncated at byte 0")
    func truncated() {
        let error = rule([1, 2, 3])
        #expect(error?.rule == .truncated)
        #expect(error?.offset == 0)
        #expect(error?.description.hasPrefix("m.safetensors: byte 0:") == true)
    }

    @Test("a header length past the end of the file is refused before allocating")
    func lengthPastEnd() {
        #expect(rule(SafetensorsFixture.raw(header: "{}", dataBytes: 0, declaredLength: 1000))?.rule == .lengthPastEnd)
        #expect(rule(SafetensorsFixture.raw(header: "{}", dataBytes: 0, declaredLength: .max))?.rule == .lengthTooLarge)
    }

    @Test("JSON that is not an object, or not JSON, is refused", arguments: ["[1,2]", "{\"a\":", "{\"a\": 3}", "{\"__metadata__\": 3}"])
    func notObject(header: String) {
        let error = rule(SafetensorsFixture.raw(header: header, dataBytes: 0))
        #expect(error?.rule == .badJSON || error?.rule == .badField)
    }

    @Test("an unknown dtype names the tensor")
    func unknownDType() {
        let error = rule(SafetensorsFixture.raw(header: #"{"x":{"dtype":"F17","shape":[2],"data_offsets":[0,4]}}"#, dataBytes: 4))
        #expect(error?.rule == .unknownType)
        #expect(error?.tensor == "x")
    }

    @Test("negative and overflowing shapes are refused")
    func badShapes() {
        let negative = rule(SafetensorsFixture.raw(header: #"{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, dataBytes: 8))
        #expect(negative?.rule == .badShape)
        let huge = rule(SafetensorsFixture.raw(
            header: #"{"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, dataBytes: 8))
        #expect(huge?.rule == .badShape)
        let bytesOverflow = rule(SafetensorsFixture.raw(
            header: #"{"x":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,8]}}"#, dataBytes: 8))
        #expect(bytesOverflow?.rule == .badShape)
    }

    @Test("end − begin must equal elements × dtype size")
    func sizeMismatch() {
        let error = rule(SafetensorsFixture.raw(header: #"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, dataBytes: 8))
        #expect(error?.rule == .sizeMismatch)
    }

    @Test("holes, overlaps and uncovered data are refused")
    func contiguity() {
        let hole = rule(SafetensorsFixture.raw(
            header: #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}}"#, dataBytes: 6))
        #expect(hole?.rule == .notContiguous)
        #expect(hole?.tensor == "b")
        let overlap = rule(SafetensorsFixture.raw(
            header: #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}"#, dataBytes: 4))
        #expect(overlap?.rule == .notContiguous)
        let pastEnd = rule(SafetensorsFixture.raw(header: #"{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}"#, dataBytes: 4))
        #expect(pastEnd?.rule == .dataPastEnd)
        let trailing = rule(SafetensorsFixture.raw(header: #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#, dataBytes: 4))
        #expect(trailing?.rule == .notContiguous)
        let farEnd = rule(SafetensorsFixture.raw(
            header: #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[9223372036854775806,9223372036854775807]}}"#, dataBytes: 1))
        #expect(farEnd?.rule == .notContiguous)
    }
}
