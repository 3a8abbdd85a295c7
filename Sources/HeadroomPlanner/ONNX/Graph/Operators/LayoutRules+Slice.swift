extension LayoutRules {
    /// A slice along some axes: starts, ends, axes and steps from inputs 1–4
    /// (operator set 10 on) or from attributes (before), clamped as ONNX says.
    static func slice(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let starts: [Int64], ends: [Int64]
        var steps: [Int64]?
        var axes: [Int]?
        if c.optional(1) != nil {
            starts = try c.intValues(1, "starts")
            ends = try c.intValues(2, "ends")
            if c.optional(3) != nil { axes = try c.axes(input: 3, rank: x.rank) }
            if c.optional(4) != nil { steps = try c.intValues(4, "steps") }
        } else {
            starts = try c.required(try c.ints("starts"), "'starts' attribute")
            ends = try c.required(try c.ints("ends"), "'ends' attribute")
            if let attribute = try c.ints("axes") {
                axes = []
                for value in attribute { axes!.append(try DimensionArithmetic.axis(value, rank: x.rank)) }
            }
        }
        let sliced = axes ?? Array(0..<min(starts.count, x.rank))
        let stepList = steps ?? Array(repeating: 1, count: starts.count)
        guard starts.count == ends.count, starts.count == sliced.count, stepList.count == starts.count,
              Set(sliced).count == sliced.count else {
            throw ShapeFailure(.badGraph, "starts \(starts), ends \(ends), axes \(sliced) and steps \(stepList) do not match")
        }
        var shape = x.shape
        var ranges: [(start: Int64, step: Int64)] = x.shape.map { _ in (0, 1) }
        for (position, axis) in sliced.enumerated() {
            let (start, count) = try range(dim: x.shape[axis], start: starts[position], end: ends[position], step: stepList[position])
            shape[axis] = count
            ranges[axis] = (start, stepList[position])
        }
        var values: ONNXValues?
        if x.rank == 1, let known = x.values {
            let indices = (0..<Int(shape[0])).map { Int(ranges[0].start + Int64($0) * ranges[0].step) }
            values = ONNXValues.make(indices.map { known[element: $0] }, asIntegers: !ONNXDataType.isFloatingPoint(x.dataType))
        }
        return [try ONNXTensorState(x.dataType, shape, values: values)]
    }

    /// The first index and the number of elements of `start..<end` by `step` in a dimension of `dim`.
    static func range(dim: Int64, start: Int64, end: Int64, step: Int64) throws(ShapeFailure) -> (Int64, Int64) {
        guard step != 0 else { throw ShapeFailure(.badGraph, "a slice step of 0") }
        var first = start < 0 ? start.addingSaturating(dim) : start
        var last = end < 0 ? end.addingSaturating(dim) : end
        if step > 0 {
            first = min(max(first, 0), dim)
            last = min(max(last, 0), dim)
            return (first, last > first ? DimensionArithmetic.ceilDivide(last - first, step) : 0)
        }
        first = min(max(first, 0), dim - 1)
        last = min(max(last, -1), dim - 1)
        guard step != .min else { return (first, first > last ? 1 : 0) }
        return (first, first > last ? DimensionArithmetic.ceilDivide(first - last, -step) : 0)
    }
}
