import HeadroomPlanner
import Testing

@Suite("ONNX graph reader")
struct ONNXGraphReaderTests {
    typealias F = ONNXFixture

    static func read(_ bytes: [UInt8]) throws(ModelFileError) -> ONNXGraph {
        try ONNXGraph.read(ModelFile(bytes: bytes, path: "r.onnx"))
    }

    @Test("nodes, opset, inputs without the initializers that old models also list as inputs, outputs")
    func basics() throws {
        var g = ONNXGraphFixture()
        g.opset = 11
        g.input("x", ["N", 4])
        g.input("w", [4, 4])
        g.weight("w", [4, 4])
        g.node("MatMul", ["x", "w"], ["y"], name: "mm")
        g.node("Relu", ["y"], ["z"])
        g.output("z", ["N", 4])
        let graph = try Self.read(g.bytes())
        #expect(graph.nodes.map(\.opType) == ["MatMul", "Relu"])
        #expect(graph.nodes.map(\.name) == ["mm", ""])
        #expect(graph.opsetVersion == 11)
        #expect(graph.inputs.map(\.name) == ["x"])
        #expect(graph.inputs.first?.elementType?.name == "FLOAT")
        #expect(graph.outputs.map(\.name) == ["z"])
        #expect(try graph.activationPeak(.init(batch: 1)).inputs == 16)
    }

    @Test("malformed graphs are refused with the byte and what was wrong")
    func malformed() {
        func failure(_ bytes: [UInt8]) -> ModelFileError? {
            do { _ = try Self.read(bytes); return nil } catch { return error }
        }
        // A node (graph field 1) as a varint.
        let varintNode = F.bytesField(7, F.varintField(1, 5))
        #expect(failure(varintNode)?.rule == .badField)
        #expect(failure(varintNode)?.description.contains("wire type varint, expected lengthDelimited") == true)
        // No graph at all.
        #expect(failure(F.varintField(1, 8))?.rule == .badField)
        // A node without op_type.
        #expect(failure(F.bytesField(7, F.bytesField(1, F.stringField(1, "x"))))?.rule == .badField)
        // A value_info shape of 65 dimensions.
        let dims = (0..<65).map { _ in ONNXGraphFixture.Dim.value(1) }
        #expect(failure(F.bytesField(7, F.bytesField(11, ONNXGraphFixture.value("x", dims))))?.rule == .badShape)
        // An attribute `f` with the wrong wire type.
        let attribute = F.stringField(1, "alpha") + F.varintField(2, 3)
        #expect(failure(F.bytesField(7, F.bytesField(1, F.stringField(4, "Elu") + F.bytesField(5, attribute))))?.rule == .badField)
        // A node input whose length runs past the node.
        #expect(failure(F.bytesField(7, F.bytesField(1, F.key(1, 2) + F.varint(50) + [0x41])))?.rule == .lengthPastEnd)
        // A second graph.
        #expect(failure(F.bytesField(7, []) + F.bytesField(7, []))?.rule == .duplicate)
        // A packed float list whose length is not a multiple of 4.
        let floats = F.stringField(1, "scales") + F.bytesField(7, [0, 0, 0])
        #expect(failure(F.bytesField(7, F.bytesField(1, F.stringField(4, "Upsample") + F.bytesField(5, floats))))?.rule == .badField)
    }

    @Test("a large initializer's raw_data is skipped, and its values are not needed")
    func largeInitializer() throws {
        var g = ONNXGraphFixture()
        g.input("x", ["N", 256])
        g.weight("w", [256, 256])
        g.node("MatMul", ["x", "w"], ["y"])
        g.output("y", nil)
        let peak = try Self.read(g.bytes()).activationPeak(.init(batch: 1))
        #expect(peak.peak == 2048)
    }

    @Test("random byte changes to a valid model give errors, never a crash", arguments: 0..<4)
    func mutations(seed: UInt64) throws {
        let original = ONNXGraphLivenessTests.convolutionChain.bytes()
        var generator = ONNXGraphPropertyTests.Generator(state: seed &+ 99)
        var read = 0
        for _ in 0..<500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = [0x00, 0xff, 0x80, 0x7f, UInt8.random(in: 0...255, using: &generator)].randomElement(using: &generator)!
            }
            do {
                let graph = try Self.read(bytes)
                read += 1
                _ = try? graph.activationPeak(.init(batch: 3))
                _ = try? graph.activationScaling(.init(batch: 1))
            } catch {
                #expect(error.path == "r.onnx")
            }
        }
        #expect(read > 0)
    }
}
