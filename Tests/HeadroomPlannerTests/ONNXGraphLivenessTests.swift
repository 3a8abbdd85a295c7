import HeadroomPlanner
import Testing

@Suite("ONNX graph liveness")
struct ONNXGraphLivenessTests {
    static func graph(_ fixture: ONNXGraphFixture) throws -> ONNXGraph {
        try ONNXGraph.read(ModelFile(bytes: fixture.bytes(), path: "g.onnx"))
    }

    static func failure(_ fixture: ONNXGraphFixture, _ bindings: ONNXDimensionBindings = .init(batch: 1)) throws -> ONNXGraphError? {
        let graph = try graph(fixture)
        do {
            _ = try graph.activationPeak(bindings)
            return nil
        } catch {
            return error
        }
    }

    /// x [N, 3, 32, 32] → Conv 3×3 pad 1 → Relu → MaxPool 2×2 → Conv 3×3 → [N, 16, 14, 14].
    static var convolutionChain: ONNXGraphFixture {
        var g = ONNXGraphFixture()
        g.input("x", ["N", 3, 32, 32])
        g.weight("w1", [8, 3, 3, 3])
        g.weight("w2", [16, 8, 3, 3])
        g.node("Conv", ["x", "w1"], ["y1"], name: "conv1", [.ints("pads", [1, 1, 1, 1]), .ints("kernel_shape", [3, 3])])
        g.node("Relu", ["y1"], ["r1"], name: "relu1")
        g.node("MaxPool", ["r1"], ["p1"], name: "pool1", [.ints("kernel_shape", [2, 2]), .ints("strides", [2, 2])])
        g.node("Conv", ["p1", "w2"], ["y2"], name: "conv2")
        g.output("y2", ["N", 16, 14, 14])
        return g
    }

    @Test("Conv → Relu → MaxPool → Conv: the peak is Relu's input and output, by hand, at batch 1 and 4")
    func convolutionChainPeak() throws {
        let graph = try Self.graph(Self.convolutionChain)
        // Per item: x 12288, y1 32768, r1 32768, p1 8192, y2 12544 bytes. Live before each node's release:
        // Conv 45056, Relu 65536 (y1 + r1), MaxPool 40960, Conv 20736.
        for batch: Int64 in [1, 4] {
            let peak = try graph.activationPeak(ONNXDimensionBindings(batch: batch))
            #expect(peak.peak == ByteCount(65536 * batch))
            #expect(peak.nodeIndex == 1)
            #expect(peak.node == "#1 Relu 'relu1'")
            #expect(peak.inputs == ByteCount(12288 * batch))
            #expect(peak.outputs == ByteCount(12544 * batch))
            #expect(peak.largestTensor == .init(name: "y1", bytes: ByteCount(32768 * batch)))
        }
        let scaling = try graph.activationScaling(ONNXDimensionBindings(batch: 7))
        #expect(scaling.perItem == 65536)
        #expect(scaling.fixed == 0)
    }

    /// x [N, 64] → MatMul [64, 16] → Relu → MatMul [16, 64] → Add with `skip` (x itself, or the branch).
    static func residual(skip: String) -> ONNXGraphFixture {
        var g = ONNXGraphFixture()
        g.input("x", ["batch", 64])
        g.weight("w1", [64, 16])
        g.weight("w2", [16, 64])
        g.node("MatMul", ["x", "w1"], ["a"])
        g.node("Relu", ["a"], ["b"])
        g.node("MatMul", ["b", "w2"], ["c"])
        g.node("Add", ["c", skip], ["y"], name: "residual")
        g.output("y", ["batch", 64])
        return g
    }

    @Test("a residual block keeps its input alive across the branch, and the peak includes it")
    func residualBlock() throws {
        let bindings = ONNXDimensionBindings(batch: 1)
        let kept = try Self.graph(Self.residual(skip: "x")).activationPeak(bindings)
        // x 256, a 64, b 64, c 256, y 256: at the Add, x, c and y are live.
        #expect(kept.peak == 768)
        #expect(kept.node == "#3 Add 'residual'")
        let plain = try Self.graph(Self.residual(skip: "c")).activationPeak(bindings)
        #expect(plain.peak == 512)
        #expect(kept.peak.bytes - plain.peak.bytes == 256)
    }

    @Test("Shape → Gather → Unsqueeze → Concat → Reshape resolves the target shape from the input's")
    func shapeArithmetic() throws {
        var g = ONNXGraphFixture()
        g.opset = 13
        g.input("x", ["N", 4, 8])
        g.ints("zero", [0], dims: [])
        g.ints("axes", [0])
        g.node("Constant", [], ["rest"], [.tensor("value", ONNXGraphFixture.tensor("", dims: [1], int64s: [32]))])
        g.node("Shape", ["x"], ["s"])
        g.node("Gather", ["s", "zero"], ["n"], [.int("axis", 0)])
        g.node("Unsqueeze", ["n", "axes"], ["n1"])
        g.node("Concat", ["n1", "rest"], ["target"], [.int("axis", 0)])
        g.node("Reshape", ["x", "target"], ["y"], name: "flat")
        g.output("y", ["N", 32])
        let graph = try Self.graph(g)
        let peak = try graph.activationPeak(ONNXDimensionBindings(batch: 2))
        // x 256; s 24; n 8; n1 a view of n; target 16; y a view of x. At the Gather: x + s + n.
        #expect(peak.peak == 288)
        #expect(peak.node == "#2 Gather")
        #expect(peak.outputs == 256)
        #expect(peak.largestTensor?.name == "x")
        #expect(peak.shapesFromValueInfoCount == 0)
    }

    @Test("a Reshape is a view: it adds no bytes, and its input lives as long as it does")
    func reshapeAliases() throws {
        func chain(reshape: Bool) -> ONNXGraphFixture {
            var g = ONNXGraphFixture()
            g.input("x", ["N", 16])
            g.ints("shape", [-1, 4, 4])
            g.node("Relu", ["x"], ["a"])
            if reshape { g.node("Reshape", ["a", "shape"], ["b"]) }
            g.node("Relu", [reshape ? "b" : "a"], ["c"])
            g.output("c", nil)
            return g
        }
        let with = try Self.graph(chain(reshape: true)).activationPeak(.init(batch: 3))
        let without = try Self.graph(chain(reshape: false)).activationPeak(.init(batch: 3))
        #expect(with.peak == without.peak)
        #expect(with.peak == ByteCount(2 * 64 * 3))
        #expect(with.outputs == ByteCount(64 * 3))
    }

    @Test("graph outputs stay live to the end")
    func outputsStayLive() throws {
        func model(earlyOutput: Bool) -> ONNXGraphFixture {
            var g = ONNXGraphFixture()
            g.input("x", ["N", 16])
            g.weight("w1", [16, 64])
            g.weight("w2", [64, 16])
            g.node("Relu", ["x"], ["a"])
            g.node("MatMul", ["a", "w1"], ["b"])
            g.node("MatMul", ["b", "w2"], ["c"])
            if earlyOutput { g.output("a", ["N", 16]) }
            g.output("c", ["N", 16])
            return g
        }
        let kept = try Self.graph(model(earlyOutput: true)).activationPeak(.init(batch: 1))
        // a 64 stays; b 256; c 64: at the last MatMul a + b + c.
        #expect(kept.peak == 384)
        #expect(kept.nodeIndex == 2)
        #expect(kept.outputs == 128)
        let freed = try Self.graph(model(earlyOutput: false)).activationPeak(.init(batch: 1))
        #expect(freed.peak == 320)
    }

    @Test("bindings: by name first, then batch, height and width of 4-D inputs, sequence of 2-D ones")
    func bindings() throws {
        var g = ONNXGraphFixture()
        g.input("image", ["b", 3, "h", "w"])
        g.input("tokens", type: 7, [.unknown, "seq"])
        g.node("Relu", ["image"], ["r"])
        g.node("Cast", ["tokens"], ["t"], [.int("to", 1)])
        g.output("r", nil)
        g.output("t", nil)
        let graph = try Self.graph(g)
        let peak = try graph.activationPeak(.init(batch: 2, height: 10, width: 20, sequence: 5))
        #expect(peak.inputs == ByteCount(2 * 3 * 10 * 20 * 4 + 2 * 5 * 8))
        let named = try graph.activationPeak(.init(batch: 2, height: 10, width: 20, sequence: 5, named: ["h": 1, "seq": 7]))
        #expect(named.inputs == ByteCount(2 * 3 * 1 * 20 * 4 + 2 * 7 * 8))
        #expect(graph.inputs.map(\.name) == ["image", "tokens"])
        #expect(graph.inputs[0].dimensions == [.symbolic("b"), .value(3), .symbolic("h"), .symbolic("w")])
    }

    @Test("an unbound symbolic dimension names the input and the dimension")
    func unboundDimension() throws {
        var g = ONNXGraphFixture()
        g.input("x", ["N", "channels", 8, 8])
        g.node("Relu", ["x"], ["y"])
        g.output("y", nil)
        let error = try #require(try Self.failure(g))
        #expect(error.kind == .unboundDimension)
        #expect(error.tensor == "x")
        #expect(error.description.contains("dimension 1 ('channels')"))
        #expect(try Self.failure(g, .init(batch: 1, named: ["channels": 3])) == nil)
    }

    @Test("a data-dependent operator stops the analysis at its node")
    func unsupportedOperator() throws {
        var g = ONNXGraphFixture()
        g.input("x", ["N", 8])
        g.node("Relu", ["x"], ["a"])
        g.node("NonZero", ["a"], ["nz"], name: "where")
        g.output("nz", nil)
        let error = try #require(try Self.failure(g))
        #expect(error.kind == .unsupportedOperator)
        #expect(error.nodeIndex == 1)
        #expect(error.node == "#1 NonZero 'where'")
        #expect(error.description == "g.onnx: node #1 NonZero 'where': the output's shape depends on the input data [unsupported-op]")
    }

    @Test("an unknown operator with concrete value_info takes its shapes from it; without, it stops")
    func valueInfoFallback() throws {
        var g = ONNXGraphFixture()
        g.input("x", ["N", 8])
        g.node("MyOp", ["x"], ["a"], name: "custom", domain: "example.org")
        g.node("Relu", ["a"], ["b"])
        g.output("b", nil)
        let error = try #require(try Self.failure(g))
        #expect(error.kind == .unsupportedOperator)
        #expect(error.node == "#0 example.org.MyOp 'custom'")
        g.info("a", ["N", 32])
        let peak = try Self.graph(g).activationPeak(.init(batch: 2))
        #expect(peak.peak == ByteCount(2 * 32 * 4 * 2))
        #expect(peak.shapesFromValueInfo == ["#0 example.org.MyOp 'custom'"])
    }

    @Test("ONNX Runtime operators: plain ones are computed, fused attention is refused even with value_info")
    func microsoftOperators() throws {
        var g = ONNXGraphFixture()
        g.input("x", ["batch", "sequence", 32])
        g.weight("bias", [32])
        g.node("FastGelu", ["x", "bias"], ["a"], domain: "com.microsoft")
        g.node("MatMulNBits", ["a", "q", "s"], ["b"], domain: "com.microsoft", [.int("N", 8), .int("K", 32)])
        g.output("b", nil)
        g.initializers.append(ONNXFixture.tensor(name: "q", dims: [8, 1, 16], dataType: 2, rawData: 128))
        g.weight("s", [8])
        let peak = try Self.graph(g).activationPeak(.init(batch: 2, sequence: 3))
        // x 768, a 768, b 192: at MatMulNBits a and b are live with x freed; at FastGelu x and a.
        #expect(peak.peak == 1536)
        #expect(peak.outputs == 192)

        var attention = ONNXGraphFixture()
        attention.input("x", ["batch", "sequence", 32])
        attention.weight("w", [32, 96])
        attention.node("Attention", ["x", "w"], ["y"], name: "attn", domain: "com.microsoft", [.int("num_heads", 4)])
        attention.info("y", ["batch", "sequence", 32])
        attention.output("y", nil)
        let error = try #require(try Self.failure(attention, .init(batch: 1, sequence: 8)))
        #expect(error.kind == .unsupportedOperator)
        #expect(error.node == "#0 com.microsoft.Attention 'attn'")
    }

    @Test("an operator with a subgraph is unsupported even with value_info")
    func subgraph() throws {
        var g = ONNXGraphFixture()
        g.input("x", ["N", 8])
        g.input("cond", type: 9, [])
        g.node("If", ["cond"], ["y"], [.graph("then_branch"), .graph("else_branch")])
        g.info("y", [2, 8])
        g.output("y", nil)
        let error = try #require(try Self.failure(g))
        #expect(error.kind == .unsupportedOperator)
        #expect(error.message.contains("subgraph"))
    }

    @Test("a node with an absurd dimension (2^40 × 2^40) is refused, not computed")
    func absurdDimension() throws {
        var g = ONNXGraphFixture()
        g.input("x", ["N", 8])
        g.ints("huge", [1 << 40, 1 << 40])
        g.node("ConstantOfShape", ["huge"], ["big"], name: "fill")
        g.node("Add", ["big", "x"], ["y"])
        g.output("y", nil)
        let error = try #require(try Self.failure(g))
        #expect(error.kind == .tooLarge)
        #expect(error.node == "#0 ConstantOfShape 'fill'")
        #expect(error.message.contains("2^62"))

        var tile = ONNXGraphFixture()
        tile.input("x", [.value(1 << 40), 8])
        tile.ints("repeats", [1 << 40, 1 << 40])
        tile.node("Tile", ["x", "repeats"], ["y"])
        tile.output("y", nil)
        #expect(try Self.failure(tile)?.kind == .tooLarge)

        var input = ONNXGraphFixture()
        input.input("x", [.value(1 << 40), .value(1 << 40)])
        input.node("Relu", ["x"], ["y"])
        input.output("y", nil)
        let inputError = try #require(try Self.failure(input))
        #expect(inputError.kind == .tooLarge)
        #expect(inputError.tensor == "x")
    }

    @Test("a truncated file is a ModelFileError at every cut, never a crash")
    func truncated() throws {
        let bytes = Self.convolutionChain.bytes()
        for length in 0..<bytes.count {
            do {
                let graph = try ONNXGraph.read(ModelFile(bytes: Array(bytes.prefix(length)), path: "cut.onnx"))
                // A cut at a field boundary can leave a smaller, valid model; its analysis must not trap either.
                _ = try? graph.activationPeak(.init(batch: 1))
            } catch {
                #expect(error.path == "cut.onnx")
                #expect(error.offset != nil)
            }
        }
        #expect(throws: ModelFileError.self) { try ONNXGraph.read(ModelFile(bytes: Array(bytes.dropLast(3)), path: "cut.onnx")) }
    }
}
