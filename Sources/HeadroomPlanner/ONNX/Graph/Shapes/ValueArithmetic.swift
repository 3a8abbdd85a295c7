#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Computes small tensors' values elementwise (with numpy broadcasting), so
/// that shape arithmetic in a graph (`Shape → Gather → Mul → Concat`) stays known.
enum ValueArithmetic {
    /// For each element of a tensor of shape `target`, the flat index of the element of a tensor of `shape` broadcast to it.
    static func broadcastIndices(_ shape: [Int64], to target: [Int64]) -> [Int] {
        let count = target.reduce(1) { $0 * Int($1) }
        let offset = target.count - shape.count
        var strides = [Int](repeating: 0, count: target.count)
        var step = 1
        for index in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[offset + index] = shape[index] == 1 ? 0 : step
            step *= Int(shape[index])
        }
        var result: [Int] = []
        result.reserveCapacity(count)
        for flat in 0..<count {
            var rest = flat, source = 0
            for axis in stride(from: target.count - 1, through: 0, by: -1) {
                let dim = Int(target[axis])
                source += (rest % dim) * strides[axis]
                rest /= dim
            }
            result.append(source)
        }
        return result
    }

    /// The values of an elementwise operation over `inputs` broadcast to `shape`, when every input's values are known.
    /// `operation` returns `nil` where a value cannot be computed (overflow, division by zero).
    static func elementwise(_ inputs: [ONNXTensorState], shape: [Int64], type: UInt64,
                            _ operation: ([ONNXValues.Scalar]) -> ONNXValues.Scalar?) -> ONNXValues? {
        guard let count = elementCount(shape), count <= Int64(ONNXConstant.maximumValues) else { return nil }
        var values: [ONNXValues] = []
        for input in inputs {
            // Each input must broadcast to the output's shape, never the other way round.
            guard let known = input.values, input.shape.count <= shape.count,
                  zip(input.shape.reversed(), shape.reversed()).allSatisfy({ $0 == $1 || $0 == 1 }) else { return nil }
            values.append(known)
        }
        let indices = inputs.map { broadcastIndices($0.shape, to: shape) }
        var result: [ONNXValues.Scalar] = []
        for flat in 0..<Int(count) {
            guard let scalar = operation(values.indices.map { values[$0][element: indices[$0][flat]] }) else { return nil }
            result.append(scalar)
        }
        return ONNXValues.make(result, asIntegers: !ONNXDataType.isFloatingPoint(type))
    }

    /// A binary arithmetic or comparison operator on two scalars, as ONNX defines it; `nil` for an unknown operator.
    static func binary(_ op: String, fmod: Bool = false) -> ((ONNXValues.Scalar, ONNXValues.Scalar) -> ONNXValues.Scalar?)? {
        func compare(_ test: @escaping (Double, Double) -> Bool, _ integer: @escaping (Int64, Int64) -> Bool)
            -> (ONNXValues.Scalar, ONNXValues.Scalar) -> ONNXValues.Scalar? {
            { a, b in
                if case .int(let x) = a, case .int(let y) = b { return .int(integer(x, y) ? 1 : 0) }
                return .int(test(a.double, b.double) ? 1 : 0)
            }
        }
        func arithmetic(_ integer: @escaping (Int64, Int64) -> Int64?, _ real: @escaping (Double, Double) -> Double)
            -> (ONNXValues.Scalar, ONNXValues.Scalar) -> ONNXValues.Scalar? {
            { a, b in
                if case .int(let x) = a, case .int(let y) = b { return integer(x, y).map { .int($0) } }
                return .float(real(a.double, b.double))
            }
        }
        switch op {
        case "Add", "Sum": return arithmetic({ x, y in let r = x.addingReportingOverflow(y); return r.overflow ? nil : r.partialValue }, +)
        case "Sub": return arithmetic({ x, y in let r = x.subtractingReportingOverflow(y); return r.overflow ? nil : r.partialValue }, -)
        case "Mul": return arithmetic({ x, y in let r = x.multipliedReportingOverflow(by: y); return r.overflow ? nil : r.partialValue }, *)
        case "Div": return arithmetic({ x, y in y == 0 || (x == .min && y == -1) ? nil : x / y }, /)
        case "Mod":
            return arithmetic({ x, y in
                guard y != 0, !(x == .min && y == -1) else { return nil }
                let r = x % y
                return fmod || r == 0 || (r < 0) == (y < 0) ? r : r + y
            }, { x, y in
                let r = x.truncatingRemainder(dividingBy: y)
                return fmod || r == 0 || (r < 0) == (y < 0) ? r : r + y
            })
        case "Pow": return arithmetic(power, { realPower($0, $1) })
        case "Max": return arithmetic({ max($0, $1) }, { max($0, $1) })
        case "Min": return arithmetic({ min($0, $1) }, { min($0, $1) })
        case "Equal": return compare(==, ==)
        case "Less": return compare(<, <)
        case "Greater": return compare(>, >)
        case "LessOrEqual": return compare(<=, <=)
        case "GreaterOrEqual": return compare(>=, >=)
        case "And": return compare({ $0 != 0 && $1 != 0 }, { $0 != 0 && $1 != 0 })
        case "Or": return compare({ $0 != 0 || $1 != 0 }, { $0 != 0 || $1 != 0 })
        case "Xor": return compare({ ($0 != 0) != ($1 != 0) }, { ($0 != 0) != ($1 != 0) })
        default: return nil
        }
    }

    /// A unary operator on one scalar; `nil` for an operator whose values are not followed.
    static func unary(_ op: String) -> ((ONNXValues.Scalar) -> ONNXValues.Scalar?)? {
        func map(_ integer: @escaping (Int64) -> Int64?, _ real: @escaping (Double) -> Double) -> (ONNXValues.Scalar) -> ONNXValues.Scalar? {
            { value in
                switch value {
                case .int(let x): integer(x).map { .int($0) }
                case .float(let x): .float(real(x))
                }
            }
        }
        switch op {
        case "Identity", "Dropout": return { $0 }
        case "Neg": return map({ $0 == .min ? nil : -$0 }, { -$0 })
        case "Abs": return map({ $0 == .min ? nil : abs($0) }, { abs($0) })
        case "Relu": return map({ max($0, 0) }, { max($0, 0) })
        case "Sign": return map({ $0.signum() }, { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 })
        case "Floor": return map({ $0 }, { $0.rounded(.down) })
        case "Ceil": return map({ $0 }, { $0.rounded(.up) })
        case "Round": return map({ $0 }, { $0.rounded(.toNearestOrEven) })
        case "Sqrt": return map({ _ in nil }, { $0.squareRoot() })
        case "Reciprocal": return map({ _ in nil }, { 1 / $0 })
        case "Not": return { .int($0.double == 0 ? 1 : 0) }
        default: return nil
        }
    }

    /// `base` to the power `exponent` for integers, `nil` for a negative exponent or on overflow.
    private static func power(_ base: Int64, _ exponent: Int64) -> Int64? {
        guard exponent >= 0 else { return nil }
        var result: Int64 = 1
        for _ in 0..<min(exponent, 64) {
            let (product, overflow) = result.multipliedReportingOverflow(by: base)
            if overflow { return nil }
            result = product
        }
        return exponent > 64 && abs(base) > 1 ? nil : result
    }

    /// `x` to the power `y`, by repeated squaring for whole exponents and logarithms otherwise.
    private static func realPower(_ x: Double, _ y: Double) -> Double {
        if let whole = ONNXValues.exactInteger(y), abs(whole) <= 64 {
            var result = 1.0
            for _ in 0..<abs(whole) { result *= x }
            return whole < 0 ? 1 / result : result
        }
        guard x > 0 else { return .nan }
        return exp2(y * log2(x))
    }
}
