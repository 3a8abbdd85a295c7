/// Shape rules of operators that make tensors: `Constant`, `Shape`, `Size`, `ConstantOfShape`, `Range`.
enum GeneratorRules {
    static func rule(_ op: String) -> ShapeRule? {
        switch op {
        case "Constant": constant
        case "Shape": shape
        case "Size": size
        case "ConstantOfShape": constantOfShape
        case "Range": range
        default: nil
        }
    }

    /// The value of whichever `value…` attribute the node carries.
    static func constant(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        guard let attribute = c.node.attributes.first(where: { $0.name.hasPrefix("value") || $0.name == "sparse_value" }) else {
            throw ShapeFailure(.badGraph, "a Constant without a value attribute")
        }
        switch attribute.name {
        case "value":
            let tensor = try c.required(attribute.tensor, "tensor of the 'value' attribute")
            return [try ONNXTensorState(tensor.dataType, tensor.dims, values: tensor.values)]
        case "value_float":
            return [try ONNXTensorState(ONNXDataType.float, [], values: .floats([try c.required(attribute.float, "'value_float'")]))]
        case "value_int":
            return [try ONNXTensorState(ONNXDataType.int64, [], values: .ints([try c.required(attribute.int, "'value_int'")]))]
        case "value_floats":
            let floats = try c.required(try c.floats("value_floats"), "'value_floats'")
            return [try ONNXTensorState(ONNXDataType.float, [Int64(floats.count)], values: .floats(floats))]
        case "value_ints":
            let ints = try c.required(try c.ints("value_ints"), "'value_ints'")
            return [try ONNXTensorState(ONNXDataType.int64, [Int64(ints.count)], values: .ints(ints))]
        case "value_string":
            return [try ONNXTensorState(ONNXDataType.string, [])]
        default:
            throw ShapeFailure(.unsupportedOperator, "a Constant's '\(attribute.name)' attribute is not read")
        }
    }

    /// The input's dimensions from `start` to `end` (operator set 15), as int64 values.
    static func shape(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let rank = Int64(x.rank)
        func clamp(_ value: Int64) -> Int { Int(min(max(value < 0 ? value.addingSaturating(rank) : value, 0), rank)) }
        let start = clamp(c.int("start", default: 0)), end = clamp(c.int("end", default: rank))
        let dims = start < end ? Array(x.shape[start..<end]) : []
        return [try ONNXTensorState(ONNXDataType.int64, [Int64(dims.count)], values: .ints(dims))]
    }

    /// The input's element count, as an int64 scalar.
    static func size(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        return [try ONNXTensorState(ONNXDataType.int64, [], values: .ints([x.elementCount]))]
    }

    /// A tensor of the shape in input 0, filled with the `value` attribute (float 0 without it).
    static func constantOfShape(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let shape = try c.intValues(0, "shape")
        let fill = c.node.attribute("value")?.tensor
        let type = fill?.dataType ?? ONNXDataType.float
        var values: ONNXValues?
        if let count = elementCount(shape), count <= Int64(ONNXConstant.maximumValues) {
            let scalar = fill?.values.flatMap { $0.count == 1 ? $0[element: 0] : nil } ?? .float(0)
            values = ONNXValues.make(Array(repeating: scalar, count: Int(count)), asIntegers: !ONNXDataType.isFloatingPoint(type))
        }
        return [try ONNXTensorState(type, shape, values: values)]
    }

    /// `⌈(limit − start) ÷ delta⌉` elements (none when negative), of start's type.
    static func range(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let start = try c.input(0)
        let first = try scalar(c, 0, "start"), limit = try scalar(c, 1, "limit"), delta = try scalar(c, 2, "delta")
        var count: Int64
        var values: [ONNXValues.Scalar] = []
        if case .int(let a) = first, case .int(let b) = limit, case .int(let d) = delta {
            guard d != 0 else { throw ShapeFailure(.badGraph, "a Range with delta 0") }
            let span = try DimensionArithmetic.subtract(b, a)
            let down = span == .min ? Int64.max : -span
            count = d > 0 ? DimensionArithmetic.ceilDivide(max(span, 0), d) : DimensionArithmetic.ceilDivide(max(down, 0), d == .min ? .max : -d)
            if count <= Int64(ONNXConstant.maximumValues) { values = (0..<count).map { .int(a + $0 * d) } }
        } else {
            let (a, b, d) = (first.double, limit.double, delta.double)
            guard d != 0, let whole = ONNXValues.truncated(((b - a) / d).rounded(.up)) else {
                throw ShapeFailure(.badGraph, "a Range from \(a) to \(b) by \(d)")
            }
            count = max(whole, 0)
            if count <= Int64(ONNXConstant.maximumValues) { values = (0..<count).map { .float(a + Double($0) * d) } }
        }
        let known = values.count == Int(clamping: count) ? ONNXValues.make(values, asIntegers: !ONNXDataType.isFloatingPoint(start.dataType)) : nil
        return [try ONNXTensorState(start.dataType, [count], values: known)]
    }

    /// The single value of input `index`.
    private static func scalar(_ c: NodeContext, _ index: Int, _ what: String) throws(ShapeFailure) -> ONNXValues.Scalar {
        let state = try c.input(index)
        guard let values = state.values else {
            throw ShapeFailure(.unknownValue, tensor: c.inputName(index),
                               "the Range's \(what) (input \(index)) is computed at run time, so its length is not known")
        }
        guard values.count == 1 else { throw ShapeFailure(.badGraph, "the Range's \(what) holds \(values.count) values") }
        return values[element: 0]
    }
}
