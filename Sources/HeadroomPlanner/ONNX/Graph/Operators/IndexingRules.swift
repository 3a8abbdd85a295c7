/// Shape rules of operators that pick elements by index.
enum IndexingRules {
    static func rule(_ op: String) -> ShapeRule? {
        switch op {
        case "Gather": gather
        case "GatherElements": gatherElements
        case "GatherND": gatherND
        case "OneHot": oneHot
        case "TopK": topK
        default: nil
        }
    }

    /// `data.shape[..<axis] + indices.shape + data.shape[axis+1...]`; small values gathered too.
    static func gather(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let data = try c.input(0), indices = try c.input(1)
        guard data.rank > 0 else { throw ShapeFailure(.badGraph, "gathers from a scalar") }
        let axis = try DimensionArithmetic.axis(c.int("axis", default: 0), rank: data.rank)
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        var values: ONNXValues?
        if let known = data.values, let picks = indices.ints {
            let dim = data.shape[axis]
            let outer = Int(data.shape[..<axis].reduce(1, *)), inner = Int(data.shape[(axis + 1)...].reduce(1, *))
            var scalars: [ONNXValues.Scalar] = []
            for o in 0..<outer {
                for pick in picks {
                    guard pick >= -dim, pick < dim else {
                        throw ShapeFailure(.badGraph, tensor: c.inputName(1), "index \(pick) is out of range for dimension \(axis) (\(dim))")
                    }
                    let index = Int(pick < 0 ? pick + dim : pick)
                    for i in 0..<inner { scalars.append(known[element: (o * Int(dim) + index) * inner + i]) }
                }
            }
            values = ONNXValues.make(scalars, asIntegers: !ONNXDataType.isFloatingPoint(data.dataType))
        }
        return [try ONNXTensorState(data.dataType, shape, values: values)]
    }

    /// The indices' shape, in the data's type.
    static func gatherElements(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let data = try c.input(0), indices = try c.input(1)
        guard indices.rank == data.rank else { throw ShapeFailure(.shapeMismatch, "data \(data.shape) and indices \(indices.shape) differ in rank") }
        return [try ONNXTensorState(data.dataType, indices.shape)]
    }

    /// `indices.shape[..<-1] + data.shape[batch_dims + indices.shape[-1]...]`.
    static func gatherND(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let data = try c.input(0), indices = try c.input(1)
        let batchDims = Int(clamping: c.int("batch_dims", default: 0))
        guard let depth = indices.shape.last, indices.rank >= 1, batchDims >= 0,
              batchDims < min(data.rank, indices.rank), depth >= 1, Int64(batchDims) + depth <= Int64(data.rank) else {
            throw ShapeFailure(.badGraph, "indices \(indices.shape) do not index data \(data.shape) with batch_dims \(batchDims)")
        }
        let shape = Array(indices.shape.dropLast()) + Array(data.shape[(batchDims + Int(depth))...])
        return [try ONNXTensorState(data.dataType, shape)]
    }

    /// The indices' shape with a dimension of `depth` (input 1) inserted at `axis`, in the values' type.
    static func oneHot(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let indices = try c.input(0), values = try c.input(2)
        let depthValues = try c.doubleValues(1, "depth")
        guard depthValues.count == 1, let depth = ONNXValues.truncated(depthValues[0]), depth >= 0 else {
            throw ShapeFailure(.badGraph, "depth \(depthValues) is not one non-negative number")
        }
        var shape = indices.shape
        let axisValue = c.int("axis", default: -1)
        guard axisValue >= -Int64(indices.rank + 1), axisValue <= Int64(indices.rank) else {
            throw ShapeFailure(.badGraph, "axis \(axisValue) is out of range")
        }
        shape.insert(depth, at: Int(axisValue < 0 ? axisValue + Int64(indices.rank + 1) : axisValue))
        return [try ONNXTensorState(values.dataType, shape)]
    }

    /// Values and int64 indices: the input's shape with `k` (input 1, or the attribute before operator set 10) at `axis`.
    static func topK(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let k: Int64
        if c.optional(1) != nil {
            let values = try c.intValues(1, "k")
            guard values.count == 1 else { throw ShapeFailure(.badGraph, "k holds \(values.count) values") }
            k = values[0]
        } else {
            k = try c.required(c.int("k"), "'k' attribute")
        }
        let axis = try DimensionArithmetic.axis(c.int("axis", default: -1), rank: x.rank)
        guard k >= 0, k <= x.shape[axis] else {
            throw ShapeFailure(.shapeMismatch, "k = \(k) is more than dimension \(axis) (\(x.shape[axis]))")
        }
        var shape = x.shape
        shape[axis] = k
        return [try ONNXTensorState(x.dataType, shape), try ONNXTensorState(ONNXDataType.int64, shape)]
    }
}
