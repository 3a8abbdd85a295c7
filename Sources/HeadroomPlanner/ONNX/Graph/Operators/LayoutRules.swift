/// Shape rules of operators that move, join or cut elements without computing on them.
enum LayoutRules {
    static func rule(_ op: String) -> ShapeRule? {
        switch op {
        case "Reshape": reshape
        case "Flatten": flatten
        case "Transpose": transpose
        case "Squeeze": squeeze
        case "Unsqueeze": unsqueeze
        case "Concat": concat
        case "Split": split
        case "Slice": slice
        case "Expand": expand
        case "Tile": tile
        case "Pad": pad
        case "DepthToSpace", "SpaceToDepth": depthToSpace
        default: nil
        }
    }

    /// Reshape to input 1's values: 0 copies the input's dimension (unless `allowzero`), −1 takes what is left.
    static func reshape(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let target = try c.intValues(1, "target shape")
        let allowZero = c.int("allowzero", default: 0) != 0
        var shape: [Int64] = []
        var inferred: Int?
        for (index, value) in target.enumerated() {
            switch value {
            case -1:
                guard inferred == nil else { throw ShapeFailure(.badGraph, "target shape \(target) has two −1s") }
                inferred = index
                shape.append(1)
            case 0 where !allowZero:
                guard index < x.rank else { throw ShapeFailure(.badGraph, "target shape \(target) copies dimension \(index) of a \(x.rank)-D input") }
                shape.append(x.shape[index])
            case ..<0:
                throw ShapeFailure(.badGraph, "target shape \(target) has a negative dimension")
            default:
                shape.append(value)
            }
        }
        let known = try DimensionArithmetic.product(shape)
        if let inferred {
            guard known > 0, x.elementCount % known == 0 else {
                throw ShapeFailure(.shapeMismatch, "cannot reshape \(x.shape) (\(x.elementCount) elements) to \(target)")
            }
            shape[inferred] = x.elementCount / known
        } else if known != x.elementCount {
            throw ShapeFailure(.shapeMismatch, "cannot reshape \(x.shape) (\(x.elementCount) elements) to \(target)")
        }
        return [try ONNXTensorState(x.dataType, shape, values: x.values)]
    }

    /// Two dimensions: the product of those before `axis`, and of those from it on.
    static func flatten(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let axisValue = c.int("axis", default: 1)
        guard axisValue >= -Int64(x.rank), axisValue <= Int64(x.rank) else {
            throw ShapeFailure(.badGraph, "axis \(axisValue) is out of range for \(x.rank) dimensions")
        }
        let axis = Int(axisValue < 0 ? axisValue + Int64(x.rank) : axisValue)
        let outer = try DimensionArithmetic.product(x.shape[..<axis])
        let inner = try DimensionArithmetic.product(x.shape[axis...])
        return [try ONNXTensorState(x.dataType, [outer, inner], values: x.values)]
    }

    /// Dimensions permuted by `perm` (reversed without it); small values permuted too.
    static func transpose(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let perm = try c.ints("perm") ?? Array((0..<Int64(x.rank)).reversed())
        guard perm.count == x.rank, Set(perm).count == x.rank, perm.allSatisfy({ $0 >= 0 && $0 < Int64(x.rank) }) else {
            throw ShapeFailure(.badGraph, "perm \(perm) is not a permutation of \(x.rank) dimensions")
        }
        let shape = perm.map { x.shape[Int($0)] }
        var values: ONNXValues?
        if let known = x.values {
            // Each output element's source: walk the output index, map it through perm.
            var inputStrides = [Int](repeating: 1, count: x.rank)
            for axis in stride(from: x.rank - 2, through: 0, by: -1) { inputStrides[axis] = inputStrides[axis + 1] * Int(x.shape[axis + 1]) }
            var scalars: [ONNXValues.Scalar] = []
            for flat in 0..<Int(x.elementCount) {
                var rest = flat, source = 0
                for axis in stride(from: x.rank - 1, through: 0, by: -1) {
                    let dim = Int(shape[axis])
                    source += (rest % dim) * inputStrides[Int(perm[axis])]
                    rest /= dim
                }
                scalars.append(known[element: source])
            }
            values = ONNXValues.make(scalars, asIntegers: !ONNXDataType.isFloatingPoint(x.dataType))
        }
        return [try ONNXTensorState(x.dataType, shape, values: values)]
    }

    /// Removes the dimensions named by `axes` (attribute or input 1), which must be 1; all 1s without them.
    static func squeeze(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let shape: [Int64]
        if let axes = try c.axes(input: 1, rank: x.rank) {
            for axis in axes where x.shape[axis] != 1 {
                throw ShapeFailure(.shapeMismatch, "cannot squeeze dimension \(axis) of \(x.shape): it is not 1")
            }
            shape = x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        } else {
            shape = x.shape.filter { $0 != 1 }
        }
        return [try ONNXTensorState(x.dataType, shape, values: x.values)]
    }

    /// Inserts dimensions of 1 at `axes` (attribute or input 1), counted in the output's rank.
    static func unsqueeze(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        var count = 0
        if let attribute = try c.ints("axes") { count = attribute.count } else { count = try c.intValues(1, "axes").count }
        guard let axes = try c.axes(input: 1, rank: x.rank + count) else { throw ShapeFailure(.badGraph, "the axes are missing") }
        var shape = x.shape
        for axis in axes.sorted() {
            guard axis <= shape.count else { throw ShapeFailure(.badGraph, "axis \(axis) is out of range") }
            shape.insert(1, at: axis)
        }
        return [try ONNXTensorState(x.dataType, shape, values: x.values)]
    }

    /// Inputs joined along `axis`; every other dimension must agree.
    static func concat(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        var parts: [ONNXTensorState] = []
        for index in c.node.inputs.indices { parts.append(try c.input(index)) }
        guard let first = parts.first else { throw ShapeFailure(.badGraph, "no inputs") }
        let axis = try DimensionArithmetic.axis(try c.required(c.int("axis"), "'axis' attribute"), rank: first.rank)
        var shape = first.shape
        shape[axis] = 0
        for part in parts {
            guard part.rank == first.rank,
                  part.shape.indices.allSatisfy({ $0 == axis || part.shape[$0] == first.shape[$0] }) else {
                throw ShapeFailure(.shapeMismatch, "cannot concatenate \(first.shape) and \(part.shape) along axis \(axis)")
            }
            shape[axis] = try DimensionArithmetic.add(shape[axis], part.shape[axis])
        }
        // Joining along the outermost axis appends the flattened values.
        var values: ONNXValues?
        if axis == 0, parts.allSatisfy({ $0.values != nil }) {
            let scalars = parts.flatMap { part in (0..<part.values!.count).map { part.values![element: $0] } }
            values = ONNXValues.make(scalars, asIntegers: !ONNXDataType.isFloatingPoint(first.dataType))
        }
        return [try ONNXTensorState(first.dataType, shape, values: values)]
    }

    /// Parts along `axis`: sizes from input 1 or the `split` attribute, else `num_outputs` or equal parts.
    static func split(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let axis = try DimensionArithmetic.axis(c.int("axis", default: 0), rank: x.rank)
        let dim = x.shape[axis]
        var sizes: [Int64]
        if c.optional(1) != nil {
            sizes = try c.intValues(1, "split sizes")
        } else if let attribute = try c.ints("split") {
            sizes = attribute
        } else {
            let parts = c.int("num_outputs") ?? Int64(c.outputCount)
            guard parts > 0, parts == Int64(c.outputCount) else {
                throw ShapeFailure(.badGraph, "a split into \(parts) parts with \(c.outputCount) outputs")
            }
            if c.int("num_outputs") == nil, dim % parts != 0 {
                throw ShapeFailure(.shapeMismatch, "dimension \(axis) (\(dim)) does not split into \(parts) equal parts")
            }
            let chunk = DimensionArithmetic.ceilDivide(dim, parts)
            sizes = (0..<parts).map { max(0, min(chunk, dim - $0 * chunk)) }
        }
        var total: Int64 = 0
        for size in sizes {
            guard size >= 0 else { throw ShapeFailure(.badGraph, "split sizes \(sizes) include a negative size") }
            total = try DimensionArithmetic.add(total, size)
        }
        guard total == dim else {
            throw ShapeFailure(.shapeMismatch, "split sizes \(sizes) do not add up to dimension \(axis) (\(dim))")
        }
        var outputs: [ONNXTensorState] = []
        var start = 0
        for size in sizes {
            var shape = x.shape
            shape[axis] = size
            var values: ONNXValues?
            if x.rank == 1, let known = x.values {
                values = ONNXValues.make((start..<start + Int(size)).map { known[element: $0] }, asIntegers: !ONNXDataType.isFloatingPoint(x.dataType))
            }
            outputs.append(try ONNXTensorState(x.dataType, shape, values: values))
            start += Int(size)
        }
        return outputs
    }

    /// The input broadcast with the shape in input 1.
    static func expand(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let target = try c.intValues(1, "target shape")
        let shape = try DimensionArithmetic.broadcast([x.shape, target])
        let values = ValueArithmetic.elementwise([x], shape: shape, type: x.dataType) { $0[0] }
        return [try ONNXTensorState(x.dataType, shape, values: values)]
    }

    /// Each dimension times its count of repeats in input 1.
    static func tile(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let repeats = try c.intValues(1, "repeats")
        guard repeats.count == x.rank, repeats.allSatisfy({ $0 >= 0 }) else {
            throw ShapeFailure(.badGraph, "repeats \(repeats) do not fit \(x.rank) dimensions")
        }
        var shape: [Int64] = []
        for (dim, count) in zip(x.shape, repeats) { shape.append(try DimensionArithmetic.multiply(dim, count)) }
        return [try ONNXTensorState(x.dataType, shape)]
    }

    /// Each padded dimension grows by its begin and end pads (`pads` attribute, or input 1 with optional axes in input 3).
    static func pad(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let pads: [Int64]
        if let attribute = try c.ints("pads") { pads = attribute } else { pads = try c.intValues(1, "pads") }
        let axes: [Int]
        if c.optional(3) != nil, let given = try c.axes(input: 3, rank: x.rank) { axes = given } else { axes = Array(0..<x.rank) }
        guard pads.count == 2 * axes.count else {
            throw ShapeFailure(.badGraph, "\(pads.count) pads for \(axes.count) axes")
        }
        var shape = x.shape
        for (position, axis) in axes.enumerated() {
            shape[axis] = try DimensionArithmetic.add(try DimensionArithmetic.add(shape[axis], pads[position]), pads[position + axes.count])
            guard shape[axis] >= 0 else { throw ShapeFailure(.shapeMismatch, "pads \(pads) make dimension \(axis) of \(x.shape) negative") }
        }
        return [try ONNXTensorState(x.dataType, shape)]
    }

    /// DepthToSpace moves channels into blocks of height and width; SpaceToDepth the reverse.
    static func depthToSpace(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let block = try c.required(c.int("blocksize"), "'blocksize' attribute")
        guard x.rank == 4, block > 0 else { throw ShapeFailure(.badGraph, "needs a 4-D input and a positive blocksize") }
        let square = try DimensionArithmetic.multiply(block, block)
        let shape: [Int64]
        if c.node.opType == "DepthToSpace" {
            guard x.shape[1] % square == 0 else { throw ShapeFailure(.shapeMismatch, "\(x.shape[1]) channels are not a multiple of \(square)") }
            shape = [x.shape[0], x.shape[1] / square, try DimensionArithmetic.multiply(x.shape[2], block),
                     try DimensionArithmetic.multiply(x.shape[3], block)]
        } else {
            guard x.shape[2] % block == 0, x.shape[3] % block == 0 else {
                throw ShapeFailure(.shapeMismatch, "height and width \(x.shape[2...]) are not multiples of \(block)")
            }
            shape = [x.shape[0], try DimensionArithmetic.multiply(x.shape[1], square), x.shape[2] / block, x.shape[3] / block]
        }
        return [try ONNXTensorState(x.dataType, shape)]
    }
}
