/// A tensor whose shape is known before the run: an initializer or a
/// `Constant`'s value, with its values when it is small.
struct ONNXConstant: Sendable, Hashable {
    /// The most elements whose values are kept.
    static let maximumValues = 64

    var dataType: UInt64
    var dims: [Int64]
    /// The values, for tensors of at most ``maximumValues`` elements stored in the file.
    var values: ONNXValues?
}

/// A small tensor's values, flattened in row-major order: integers (and
/// booleans, as 0 and 1) exactly, floating-point numbers as `Double`.
enum ONNXValues: Sendable, Hashable {
    case ints([Int64])
    case floats([Double])

    var count: Int {
        switch self {
        case .ints(let values): values.count
        case .floats(let values): values.count
        }
    }

    /// The values as integers; floating-point values only when each is a whole number in range.
    var ints: [Int64]? {
        switch self {
        case .ints(let values): return values
        case .floats(let values):
            var result: [Int64] = []
            for value in values {
                guard let whole = ONNXValues.exactInteger(value) else { return nil }
                result.append(whole)
            }
            return result
        }
    }

    /// The values as floating-point numbers.
    var doubles: [Double] {
        switch self {
        case .ints(let values): values.map(Double.init)
        case .floats(let values): values
        }
    }

    /// The element at `index` of the flattened values, in either form.
    subscript(element index: Int) -> Scalar {
        switch self {
        case .ints(let values): .int(values[index])
        case .floats(let values): .float(values[index])
        }
    }

    /// One value of either form.
    enum Scalar {
        case int(Int64)
        case float(Double)

        var double: Double {
            switch self {
            case .int(let value): Double(value)
            case .float(let value): value
            }
        }
    }

    /// `value` as an integer when it is a whole number that an `Int64` holds.
    static func exactInteger(_ value: Double) -> Int64? {
        guard value.isFinite, value.rounded(.towardZero) == value, abs(value) < 9.2e18 else { return nil }
        return Int64(value)
    }

    /// `value` truncated toward zero, as a cast to an integer type does, when an `Int64` holds it.
    static func truncated(_ value: Double) -> Int64? {
        guard value.isFinite, abs(value) < 9.2e18 else { return nil }
        return Int64(value.rounded(.towardZero))
    }

    /// Values built from `scalars`, integers when `asIntegers` and every one is an integer, else floating point.
    static func make(_ scalars: [Scalar], asIntegers: Bool) -> ONNXValues? {
        if asIntegers {
            var result: [Int64] = []
            for scalar in scalars {
                switch scalar {
                case .int(let value): result.append(value)
                case .float(let value):
                    guard let whole = truncated(value) else { return nil }
                    result.append(whole)
                }
            }
            return .ints(result)
        }
        return .floats(scalars.map(\.double))
    }
}
