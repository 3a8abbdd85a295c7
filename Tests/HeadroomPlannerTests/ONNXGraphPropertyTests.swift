import HeadroomPlanner
import Testing

@Suite("ONNX graph liveness properties")
struct ONNXGraphPropertyTests {
    /// SplitMix64: a small seeded generator, so that a failure replays.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    /// A random chain over `x [N, w]`: elementwise unary and binary nodes (with earlier tensors of the same width)
    /// and MatMuls that change the width; some earlier tensors are graph outputs too.
    struct Chain {
        var fixture = ONNXGraphFixture()
        /// Each activation's width (elements per item), in order of production; `x` first.
        var widths: [(name: String, width: Int64)] = []
        /// Each activation's producing node (−1 for the input) and last use (`Int.max` for outputs).
        var lifetimes: [String: (start: Int, end: Int)] = [:]

        init(using generator: inout Generator) {
            let width = Int64.random(in: 1...64, using: &generator)
            fixture.input("x", ["N", .value(width)])
            widths.append(("x", width))
            lifetimes["x"] = (-1, -1)
            var current = ("x", width)
            let count = Int.random(in: 1...14, using: &generator)
            for index in 0..<count {
                let name = "t\(index)"
                var inputs = [current.0]
                var outWidth = current.1
                switch Int.random(in: 0...3, using: &generator) {
                case 0:
                    fixture.node(["Relu", "Sigmoid", "Tanh", "Neg", "Softmax"].randomElement(using: &generator)!, inputs, [name])
                case 1:
                    let partners = widths.filter { $0.width == current.1 }.map(\.name)
                    inputs.append(partners.randomElement(using: &generator)!)
                    fixture.node(["Add", "Mul", "Sub", "Max"].randomElement(using: &generator)!, inputs, [name])
                case 2:
                    outWidth = Int64.random(in: 1...64, using: &generator)
                    fixture.weight("w\(index)", [current.1, outWidth])
                    inputs.append("w\(index)")
                    fixture.node("MatMul", inputs, [name])
                default:
                    fixture.weight("s\(index)", [current.1])
                    inputs.append("s\(index)")
                    fixture.node("Mul", inputs, [name])
                }
                for input in inputs where lifetimes[input] != nil { lifetimes[input]!.end = max(lifetimes[input]!.end, index) }
                lifetimes[name] = (index, index)
                widths.append((name, outWidth))
                current = (name, outWidth)
            }
            var outputs = [current.0]
            if Bool.random(using: &generator), let early = widths.dropLast().randomElement(using: &generator) { outputs.append(early.name) }
            for output in Set(outputs).sorted() {
                fixture.output(output, nil)
                lifetimes[output]!.end = .max
            }
        }

        /// The peak by intervals, independent of the walk: the most bytes whose lifetimes cover one moment.
        func referencePeak(batch: Int64) -> Int64 {
            let last = widths.count - 1
            var best: Int64 = 0
            for moment in -1..<last {
                var live: Int64 = 0
                for (name, width) in widths {
                    let span = lifetimes[name]!
                    if span.start <= moment, moment <= span.end || (span.start == -1 && moment == -1) { live += batch * width * 4 }
                }
                best = max(best, live)
            }
            return best
        }
    }

    @Test("random chains of elementwise and MatMul nodes: largest tensor ≤ peak ≤ sum of tensors, linear in the batch",
          arguments: 0..<8)
    func randomChains(seed: UInt64) throws {
        var generator = Generator(state: seed &* 7919 &+ 1)
        for _ in 0..<40 {
            let chain = Chain(using: &generator)
            let graph = try ONNXGraph.read(ModelFile(bytes: chain.fixture.bytes(), path: "chain.onnx"))
            let one = try graph.activationPeak(.init(batch: 1))
            let largest = chain.widths.map { $0.width * 4 }.max()!
            let sum = chain.widths.reduce(Int64(0)) { $0 + $1.width * 4 }
            #expect(one.largestTensor?.bytes == ByteCount(largest))
            #expect(one.peak.bytes >= largest)
            #expect(one.peak.bytes <= sum)
            #expect(one.peak.bytes == chain.referencePeak(batch: 1))
            for batch: Int64 in [2, 3, 8] {
                #expect(try graph.activationPeak(.init(batch: batch)).peak.bytes == batch * one.peak.bytes)
            }
            let scaling = try graph.activationScaling(.init(batch: 5))
            #expect(scaling.perItem == one.peak)
            #expect(scaling.fixed == 0)
        }
    }
}
