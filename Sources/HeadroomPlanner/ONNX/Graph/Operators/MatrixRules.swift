/// Shape rules of matrix products: `MatMul` (numpy semantics), `Gemm`, their
/// integer and quantized forms, and `Einsum`.
enum MatrixRules {
    static func rule(_ op: String) -> ShapeRule? {
        switch op {
        case "MatMul", "MatMulInteger", "QLinearMatMul": matMul
        case "Gemm": gemm
        case "Einsum": einsum
        default: nil
        }
    }

    static func matMul(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let quantized = c.node.opType == "QLinearMatMul"
        let a = try c.input(0), b = try c.input(quantized ? 3 : 1)
        let shape = try product(a.shape, b.shape)
        let type = switch c.node.opType {
        case "MatMulInteger": ONNXDataType.int32
        case "QLinearMatMul": try c.input(7).dataType
        default: a.dataType
        }
        return [try ONNXTensorState(type, shape)]
    }

    /// The shape of `a × b` with numpy's rules: 1-D operands get a dimension for the product and lose it after;
    /// the batch dimensions broadcast.
    static func product(_ a: [Int64], _ b: [Int64], transposeA: Bool = false, transposeB: Bool = false) throws(ShapeFailure) -> [Int64] {
        guard !a.isEmpty, !b.isEmpty else { throw ShapeFailure(.shapeMismatch, "a matrix product of a scalar") }
        var left = a.count == 1 ? [1, a[0]] : a
        var right = b.count == 1 ? [b[0], 1] : b
        if transposeA { left.swapAt(left.count - 1, left.count - 2) }
        if transposeB { right.swapAt(right.count - 1, right.count - 2) }
        guard left[left.count - 1] == right[right.count - 2] else {
            throw ShapeFailure(.shapeMismatch, "cannot multiply \(a) by \(b): inner dimensions \(left[left.count - 1]) and \(right[right.count - 2]) differ")
        }
        var shape = try DimensionArithmetic.broadcast([Array(left.dropLast(2)), Array(right.dropLast(2))])
        if a.count != 1 { shape.append(left[left.count - 2]) }
        if b.count != 1 { shape.append(right[right.count - 1]) }
        return shape
    }

    /// `[M, N]` from A (`[M, K]`, or `[K, M]` with `transA`) and B (`[K, N]`, or `[N, K]` with `transB`).
    static func gemm(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let a = try c.input(0), b = try c.input(1)
        guard a.rank == 2, b.rank == 2 else { throw ShapeFailure(.shapeMismatch, "Gemm needs 2-D operands, not \(a.shape) and \(b.shape)") }
        let shape = try product(a.shape, b.shape, transposeA: c.int("transA", default: 0) != 0,
                                transposeB: c.int("transB", default: 0) != 0)
        if let bias = c.optional(2) { _ = try DimensionArithmetic.broadcast([shape, bias.shape]) }
        return [try ONNXTensorState(a.dataType, shape)]
    }

    /// `Einsum` from its equation: each letter's size from the operands, the output's letters given
    /// after `->` or (implicitly) those used once, in order; `...` broadcasts.
    static func einsum(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let equation = try c.required(c.node.attribute("equation")?.string, "'equation' attribute").filter { $0 != " " }
        var operands: [ONNXTensorState] = []
        for index in c.node.inputs.indices { operands.append(try c.input(index)) }
        let sides = equation.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let terms = sides[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard terms.count == operands.count, !operands.isEmpty else {
            throw ShapeFailure(.badGraph, "equation '\(equation)' names \(terms.count) operands for \(operands.count) inputs")
        }
        var sizes: [Character: Int64] = [:]
        var counts: [Character: Int] = [:]
        var ellipsis: [[Int64]] = []
        for (term, operand) in zip(terms, operands) {
            let letters = term.replacingEllipsis
            guard letters.filter({ $0 == "." }).count <= 1 else {
                throw ShapeFailure(.badGraph, "term '\(term)' has more than one ellipsis")
            }
            let explicit = letters.filter { $0 != "." }.count
            guard explicit <= operand.rank, letters.contains(".") || explicit == operand.rank else {
                throw ShapeFailure(.shapeMismatch, "term '\(term)' does not fit operand \(operand.shape)")
            }
            let broadcastRank = operand.rank - explicit
            var axis = 0
            for letter in letters {
                if letter == "." {
                    ellipsis.append(Array(operand.shape[axis..<axis + broadcastRank]))
                    axis += broadcastRank
                    continue
                }
                guard letter.isLetter else { throw ShapeFailure(.badGraph, "equation '\(equation)' has '\(letter)'") }
                let dim = operand.shape[axis]
                if let known = sizes[letter], known != dim, known != 1, dim != 1 {
                    throw ShapeFailure(.shapeMismatch, "'\(letter)' is \(known) in one operand and \(dim) in another")
                }
                sizes[letter] = max(sizes[letter] ?? dim, dim)
                counts[letter, default: 0] += 1
                axis += 1
            }
        }
        let broadcastShape = try DimensionArithmetic.broadcast(ellipsis)
        var output: [Character]
        if sides.count == 2 {
            guard sides[1].first == ">" else { throw ShapeFailure(.badGraph, "equation '\(equation)' is malformed") }
            output = Array(String(sides[1].dropFirst()).replacingEllipsis)
        } else {
            output = (ellipsis.isEmpty ? [] : ["."]) + counts.filter { $0.value == 1 }.keys.sorted()
        }
        var shape: [Int64] = []
        for letter in output {
            if letter == "." { shape += broadcastShape; continue }
            guard let dim = sizes[letter] else { throw ShapeFailure(.badGraph, "output letter '\(letter)' names no operand dimension") }
            shape.append(dim)
        }
        return [try ONNXTensorState(operands[0].dataType, shape)]
    }
}

private extension String {
    /// The equation term with `...` as one `.`, so that each character is one position.
    var replacingEllipsis: [Character] {
        var result: [Character] = []
        var dots = 0
        for character in self {
            if character == "." {
                dots += 1
                if dots == 3 { result.append("."); dots = 0 }
            } else {
                result.append(character)
            }
        }
        return result
    }
}
