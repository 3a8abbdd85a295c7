import Foundation
import HeadroomPlanner
import Testing

@Suite("GGUF header reader")
struct GGUFReaderTests {
    func read(_ bytes: [UInt8]) throws(ModelFileError) -> GGUFReader.Contents {
        try GGUFReader.read(ModelFile(bytes: bytes, path: "m.gguf"))
    }

    func error(_ bytes: [UInt8]) -> ModelFileError? {
        do { _ = try read(bytes); return nil } catch { return error }
    }

    static let llama: [(String, GGUFFixture.Value)] = [
        ("general.architecture", .string("llama")),
        ("general.alignment", .u32(64)),
        ("llama.block_count", .u32(2)),
        ("llama.embedding_length", .u32(256)),
        ("llama.attention.head_count", .u32(8)),
        ("llama.attention.head_count_kv", .u32(2)),
        ("llama.context_length", .u32(4096)),
        ("llama.feed_forward_length", .u32(512)),
        ("tokenizer.ggml.tokens", .array(8, (0..<100).map { .string("t\($0)") })),
        ("every.u8", .u8(1)), ("every.i8", .i8(-2)), ("every.u16", .u16(3)), ("every.i16", .i16(-4)),
        ("every.i32", .i32(-5)), ("every.f32", .f32(0.5)), ("every.bool", .bool(true)), ("every.u64", .u64(7)),
        ("every.i64", .i64(-8)), ("every.f64", .f64(2.25)),
        ("every.nested", .array(9, [.array(4, [.u32(1), .u32(2)]), .array(4, [.u32(3)])])),
    ]

    static let quantized: [(String, [UInt64], String)] = [
        ("token_embd.weight", [256, 100], "Q4_K"),
        ("blk.0.attn_q.weight", [256, 256], "Q6_K"),
        ("blk.0.ffn_up.weight", [256, 512], "Q5_K"),
        ("blk.1.attn_q.weight", [256, 256], "Q8_0"),
        ("blk.1.ffn_up.weight", [256, 512], "IQ4_XS"),
        ("blk.1.attn_norm.weight", [256], "F32"),
        ("output.weight", [256, 100], "Q4_0"),
    ]

    @Test("v2 and v3: every value type, nested arrays, quantized tensors with exact bytes", arguments: [UInt32(2), 3])
    func quantizedModel(version: UInt32) throws {
        let fixture = GGUFFixture(version: version, metadata: GGUFReaderTests.llama, tensors: GGUFReaderTests.quantized, alignment: 64)
        let contents = try read(fixture.bytes())
        #expect(contents.version == version)
        #expect(contents.alignment == 64)
        #expect(contents.tensors.count == 7)
        // Hand-computed: Q4_K 25,600 elements = 100 blocks × 144; Q6_K 65,536 = 256 × 210; Q5_K 131,072 = 512 × 176;
        // Q8_0 65,536 = 2,048 × 34; IQ4_XS 131,072 = 512 × 136; F32 256 × 4; Q4_0 25,600 = 800 × 18.
        #expect(contents.tensors.map(\.byteCount) == [14_400, 53_760, 90_112, 69_632, 69_632, 1_024, 14_400])
        #expect(contents.value("every.i8") == .signed(-2))
        #expect(contents.value("every.i16") == .signed(-4))
        #expect(contents.value("every.f32") == .float(0.5))
        #expect(contents.value("every.bool") == .bool(true))
        #expect(contents.value("every.f64") == .float(2.25))
        if case .array(let type, let count, let elements)? = contents.value("every.nested") {
            #expect(type == 9 && count == 2)
            #expect(elements?.first == .array(elementType: 4, count: 2, elements: [.unsigned(1), .unsigned(2)]))
        } else {
            Issue.record("nested array not read")
        }
        if case .array(_, let count, let elements)? = contents.value("tokenizer.ggml.tokens") {
            #expect(count == 100)
            #expect(elements == nil)
        }
        let architecture = try #require(try ModelArchitecture.fromGGUF(contents, path: "model.gguf"))
        #expect(architecture.layers == 2)
        #expect(architecture.hiddenSize == 256)
        #expect(architecture.effectiveKeyValueHeads == 2)
        #expect(architecture.effectiveHeadDimension == 32)
        #expect(architecture.maximumPositions == 4096)
        #expect(architecture.vocabularySize == 100)
        #expect(contents.dataOffset % 64 == 0)
    }

    @Test("block sizes and bytes per block match ggml's table")
    func typeTable() {
        let expected: [String: (Int64, Int64)] = [
            "Q4_0": (32, 18), "Q4_1": (32, 20), "Q5_0": (32, 22), "Q5_1": (32, 24), "Q8_0": (32, 34), "Q8_1": (32, 36),
            "Q2_K": (256, 84), "Q3_K": (256, 110), "Q4_K": (256, 144), "Q5_K": (256, 176), "Q6_K": (256, 210),
            "Q8_K": (256, 292), "IQ2_XXS": (256, 66), "IQ2_XS": (256, 74), "IQ3_XXS": (256, 98), "IQ1_S": (256, 50),
            "IQ4_NL": (32, 18), "IQ3_S": (256, 110), "IQ2_S": (256, 82), "IQ4_XS": (256, 136), "IQ1_M": (256, 56),
            "TQ1_0": (256, 54), "TQ2_0": (256, 66), "MXFP4": (32, 17), "BF16": (1, 2), "F16": (1, 2), "F64": (1, 8),
        ]
        for (name, (block, bytes)) in expected {
            let type = GGMLType.elementType(GGMLType.number(named: name) ?? 999)
            #expect(type?.blockSize == block && type?.blockBytes == bytes, "\(name)")
        }
        #expect(GGMLType.elementType(4) == nil)  // Q4_2, removed
    }

    @Test("versions 1 and above 3 are refused", arguments: [UInt32(1), 4, 0x0300_0000])
    func versions(version: UInt32) {
        let bytes = GGUFFixture(version: version).bytes()
        #expect(error(bytes)?.rule == .unsupportedVersion)
        #expect(error(bytes)?.offset == 4)
    }

    @Test("a bad magic number is refused")
    func magic() {
        #expect(error(Array("GGML\u{3}\0\0\0".utf8))?.rule == .badMagic)
        #expect(error([])?.rule == .badMagic)
    }

    @Test("a string length of 2^64 − 1 is refused at its offset, without allocating")
    func hugeString() {
        var bytes = Array("GGUF".utf8)
        bytes.appendLittleEndian(UInt32(3))
        bytes.appendLittleEndian(UInt64(0))
        bytes.appendLittleEndian(UInt64(1))
        bytes.appendLittleEndian(UInt64.max)
        bytes += [UInt8](repeating: 0x41, count: 16)
        let failure = error(bytes)
        #expect(failure?.rule == .lengthPastEnd)
        #expect(failure?.offset == 24)
    }

    @Test("absurd counts of tensors, keys and array elements are refused")
    func absurdCounts() {
        var bytes = Array("GGUF".utf8)
        bytes.appendLittleEndian(UInt32(3))
        bytes.appendLittleEndian(UInt64.max)
        bytes.appendLittleEndian(UInt64(0))
        #expect(error(bytes)?.rule == .lengthPastEnd)
        let array = GGUFFixture(metadata: [("a", .array(10, []))]).bytes()
        var patched = array
        // The array's count follows the key (8 + 1), value type (4) and element type (4).
        let countAt = 24 + 8 + 1 + 4 + 4
        for index in 0..<8 { patched[countAt + index] = 0xff }
        #expect(error(patched)?.rule == .lengthPastEnd)
    }

    @Test("duplicate keys and tensor names are refused")
    func duplicates() {
        let keys = GGUFFixture(metadata: [("a", .u8(1)), ("a", .u8(2))]).bytes()
        #expect(error(keys)?.rule == .duplicate)
        #expect(error(keys)?.key == "a" && error(keys)?.tensor == nil)
        let tensors = GGUFFixture(tensors: [("t", [32], "F32"), ("t", [32], "F32")]).bytes()
        #expect(error(tensors)?.rule == .duplicate)
    }

    @Test("unknown ggml and value types, bad shapes and bad alignment are refused")
    func badTypes() {
        var unknown = GGUFFixture(tensors: [("t", [32], "F32")]).bytes()
        // The type follows magic, version, counts (24), name (8 + 1), n_dims (4) and one dim (8).
        unknown[24 + 9 + 4 + 8] = 77
        #expect(error(unknown)?.rule == .unknownType)
        #expect(error(unknown)?.tensor == "t")
        var badValue = GGUFFixture(metadata: [("k", .u8(1))]).bytes()
        badValue[24 + 9] = 13
        #expect(error(badValue)?.rule == .unknownType)
        #expect(error(GGUFFixture(tensors: [("t", [33], "Q4_0")]).bytes())?.rule == .badShape)
        #expect(error(GGUFFixture(tensors: [("t", [1 << 40, 1 << 40], "F32")]).bytes())?.rule == .badShape)
        #expect(error(GGUFFixture(tensors: [("t", [1, 1, 1, 1, 1], "F32")]).bytes())?.rule == .badShape)
        #expect(error(GGUFFixture(metadata: [("general.alignment", .u32(48))]).bytes())?.rule == .badAlignment)
        #expect(error(GGUFFixture(metadata: [("b", .bool(true))]).bytes().enumerated().map { $0.offset == 24 + 9 + 4 ? 2 : $0.element })?.rule == .badField)
    }

    @Test("truncated files fail with the offset where they end", arguments: [10, 30, 60, 120])
    func truncated(length: Int) {
        let bytes = GGUFFixture(metadata: GGUFReaderTests.llama, tensors: GGUFReaderTests.quantized).bytes()
        let failure = error(Array(bytes.prefix(length)))
        #expect(failure != nil)
        #expect(failure?.rule == .truncated || failure?.rule == .lengthPastEnd)
    }

    @Test("tensor data past the end of the file is refused")
    func dataPastEnd() {
        let bytes = GGUFFixture(tensors: [("t", [1024], "F32")]).bytes()
        #expect(error(Array(bytes.dropLast(16)))?.rule == .dataPastEnd)
    }
}
