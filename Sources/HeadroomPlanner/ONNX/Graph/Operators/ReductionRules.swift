/// Shape rules of reductions: `ReduceMean`, `ReduceSum` and the rest, `ArgMax` and `ArgMin`.
enum ReductionRules {
    static let reductions: Set<String> = [
        "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum",
        "ReduceLogSumExp", "ReduceSumSquare",
    ]

    static func rule(_ op: String) -> ShapeRule? {
        if reductions.contains(op) { return reduce }
        if op == "ArgMax" || op == "ArgMin" { return argument }
        return nil
    }

    /// The reduced axes (attribute, or input 1 from operator set 13/18) become 1 with `keepdims`, or go;
    /// no axes reduce all, unless `noop_with_empty_axes`.
    static func reduce(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let keep = c.int("keepdims", default: 1) != 0
        var axes = try c.axes(input: 1, rank: x.rank) ?? []
        if axes.isEmpty {
            if c.int("noop_with_empty_axes", default: 0) != 0 { return [x] }
            axes = Array(0..<x.rank)
        }
        var shape: [Int64] = []
        for (axis, dim) in x.shape.enumerated() {
            if axes.contains(axis) {
                if keep { shape.append(1) }
            } else {
                shape.append(dim)
            }
        }
        // A whole small vector reduced to one number: shape products and sums.
        var values: ONNXValues?
        if x.rank <= 1, let known = x.values, known.count > 0, let combine = ValueArithmetic.binary(combiner(c.node.opType)) {
            var result: ONNXValues.Scalar? = known[element: 0]
            for index in 1..<known.count { result = result.flatMap { combine($0, known[element: index]) } }
            if let result { values = ONNXValues.make([result], asIntegers: !ONNXDataType.isFloatingPoint(x.dataType)) }
        }
        return [try ONNXTensorState(x.dataType, shape, values: values)]
    }

    /// The binary operator a reduction folds with, where its values are followed.
    private static func combiner(_ op: String) -> String {
        switch op {
        case "ReduceSum": "Add"
        case "ReduceProd": "Mul"
        case "ReduceMax": "Max"
        case "ReduceMin": "Min"
        default: ""
        }
    }

    /// int64 indices: the input's shape with `axis` 1 (`keepdims`) or gone.
    static func argument(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let axis = try DimensionArithmetic.axis(c.int("axis", default: 0), rank: x.rank)
        var shape = x.shape
        if c.int("keepdims", default: 1) != 0 { shape[axis] = 1 } else { shape.remove(at: axis) }
        return [try ONNXTensorState(ONNXDataType.int64, shape)]
    }
}
