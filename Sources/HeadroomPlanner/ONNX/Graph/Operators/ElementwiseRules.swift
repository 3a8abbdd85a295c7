/// Shape rules of operators whose output has the shape of their (broadcast) inputs.
enum ElementwiseRules {
    /// Operators whose output is the first input's shape and type.
    static let sameShape: Set<String> = [
        "Relu", "Gelu", "Sigmoid", "Tanh", "Erf", "Sqrt", "Exp", "Log", "Neg", "Abs", "Identity", "Softmax",
        "LogSoftmax", "Hardmax", "Clip", "HardSigmoid", "HardSwish", "LeakyRelu", "Elu", "Selu", "Celu", "Softplus",
        "Softsign", "Mish", "ThresholdedRelu", "Shrink", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Sin", "Cos",
        "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "BitwiseNot", "Trilu", "CumSum",
        "LRN", "MeanVarianceNormalization", "LpNormalization", "InstanceNormalization", "GroupNormalization",
        "Scatter", "ScatterElements", "ScatterND", "ReverseSequence", "Swish", "Binarizer",
    ]
    /// Operators whose output broadcasts all inputs and keeps the first input's type.
    static let arithmetic: Set<String> = [
        "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "PRelu", "BitShift",
        "BitwiseAnd", "BitwiseOr", "BitwiseXor",
    ]
    /// Operators whose output broadcasts the inputs into booleans.
    static let comparison: Set<String> = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"]

    static func rule(_ op: String) -> ShapeRule? {
        if sameShape.contains(op) { return unary }
        if arithmetic.contains(op) || comparison.contains(op) { return broadcast }
        switch op {
        case "Not", "IsNaN", "IsInf": return unary
        case "Cast", "CastLike": return cast
        case "Dropout": return dropout
        case "Where": return select
        case "EyeLike", "RandomNormalLike", "RandomUniformLike", "Bernoulli": return typed
        case "BatchNormalization": return batchNormalization
        case "LayerNormalization", "SimplifiedLayerNormalization", "RMSNormalization": return layerNormalization
        case "QuantizeLinear": return quantize
        case "DequantizeLinear": return dequantize
        case "DynamicQuantizeLinear": return dynamicQuantize
        default: return nil
        }
    }

    /// One output of input 0's shape: its type, or boolean for `Not`, `IsNaN` and `IsInf`.
    static func unary(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let op = c.node.opType
        let type = ["Not", "IsNaN", "IsInf"].contains(op) ? ONNXDataType.bool : x.dataType
        let values = ValueArithmetic.unary(op).flatMap { f in ValueArithmetic.elementwise([x], shape: x.shape, type: type) { f($0[0]) } }
        return [try ONNXTensorState(type, x.shape, values: values)]
    }

    /// All inputs broadcast together (numpy rules); boolean for comparisons.
    static func broadcast(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        var operands: [ONNXTensorState] = []
        for index in c.node.inputs.indices { operands.append(try c.input(index)) }
        guard let first = operands.first else { throw ShapeFailure(.badGraph, "no inputs") }
        let op = c.node.opType
        // PRelu's slope broadcasts to the input, never the other way.
        let shape = op == "PRelu" ? first.shape : try DimensionArithmetic.broadcast(operands.map(\.shape))
        if op == "PRelu" { _ = try DimensionArithmetic.broadcast(operands.map(\.shape)) }
        let type = comparison.contains(op) ? ONNXDataType.bool : first.dataType
        var values: ONNXValues?
        if let f = ValueArithmetic.binary(op, fmod: c.int("fmod", default: 0) != 0) {
            values = ValueArithmetic.elementwise(operands, shape: shape, type: type) { scalars in
                var result = scalars[0]
                for next in scalars.dropFirst() {
                    guard let combined = f(result, next) else { return nil }
                    result = combined
                }
                return result
            }
        }
        return [try ONNXTensorState(type, shape, values: values)]
    }

    static func cast(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let type = c.node.opType == "CastLike" ? try c.input(1).dataType : UInt64(bitPattern: try c.required(c.int("to"), "'to' attribute"))
        guard type == ONNXDataType.string || ONNXDataType.elementType(type) != nil else {
            throw ShapeFailure(.badGraph, "cast to unknown data type \(type)")
        }
        return [try x.cast(to: type)]
    }

    /// Dropout at inference passes its input through; the optional mask is boolean.
    static func dropout(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        return [x, try ONNXTensorState(ONNXDataType.bool, x.shape)]
    }

    /// `Where(condition, x, y)`: the three broadcast, of x's type.
    static func select(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let condition = try c.input(0), x = try c.input(1), y = try c.input(2)
        let shape = try DimensionArithmetic.broadcast([condition.shape, x.shape, y.shape])
        let values = ValueArithmetic.elementwise([condition, x, y], shape: shape, type: x.dataType) { $0[0].double != 0 ? $0[1] : $0[2] }
        return [try ONNXTensorState(x.dataType, shape, values: values)]
    }

    /// Input 0's shape in the type its `dtype` attribute names, or input 0's type.
    static func typed(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        return [try ONNXTensorState(c.int("dtype").map { UInt64(bitPattern: $0) } ?? x.dataType, x.shape)]
    }

    /// Y of X's shape; in training mode the running mean and variance of the scale's shape.
    static func batchNormalization(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0), scale = try c.input(1)
        let statistics = try ONNXTensorState(scale.dataType, scale.shape)
        return [x] + Array(repeating: statistics, count: max(0, c.outputCount - 1))
    }

    /// Y of X's shape; Mean and InvStdDev keep the dimensions before `axis` and are 1 from it on.
    static func layerNormalization(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let axis = try DimensionArithmetic.axis(c.int("axis", default: -1), rank: x.rank)
        let reduced = Array(x.shape[..<axis]) + Array(repeating: 1, count: x.rank - axis)
        // The mean and inverse deviation are kept in float (stash_type 1, the only one ONNX Runtime implements).
        let statistics = try ONNXTensorState(ONNXDataType.float, reduced)
        return [try ONNXTensorState(x.dataType, x.shape), statistics, statistics]
    }

    /// X's shape in the zero point's type, or `output_dtype`, or uint8.
    static func quantize(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let type = c.optional(2)?.dataType ?? c.int("output_dtype").map { UInt64(bitPattern: $0) } ?? ONNXDataType.uint8
        return [try ONNXTensorState(type == 0 ? ONNXDataType.uint8 : type, x.shape)]
    }

    /// X's shape in the scale's type.
    static func dequantize(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0), scale = try c.input(1)
        return [try ONNXTensorState(scale.dataType, x.shape)]
    }

    /// Y (uint8, X's shape), and scalar scale (float) and zero point (uint8).
    static func dynamicQuantize(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        return [try ONNXTensorState(ONNXDataType.uint8, x.shape), try ONNXTensorState(ONNXDataType.float, []),
                try ONNXTensorState(ONNXDataType.uint8, [])]
    }
}
