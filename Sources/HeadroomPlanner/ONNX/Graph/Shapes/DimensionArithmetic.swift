/// Checked arithmetic on dimensions read from an untrusted file: every
/// overflow is a `tooLarge` failure, never a trap.
enum DimensionArithmetic {
    static func add(_ a: Int64, _ b: Int64) throws(ShapeFailure) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw ShapeFailure(.tooLarge, "\(a) + \(b) overflows 64 bits") }
        return sum
    }

    static func subtract(_ a: Int64, _ b: Int64) throws(ShapeFailure) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        guard !overflow else { throw ShapeFailure(.tooLarge, "\(a) − \(b) overflows 64 bits") }
        return difference
    }

    static func multiply(_ a: Int64, _ b: Int64) throws(ShapeFailure) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw ShapeFailure(.tooLarge, "\(a) × \(b) overflows 64 bits") }
        return product
    }

    /// The product of `dims`, refused past 2^62.
    static func product<S: Sequence>(_ dims: S) throws(ShapeFailure) -> Int64 where S.Element == Int64 {
        var result: Int64 = 1
        for dim in dims {
            result = try multiply(result, dim)
            guard result <= ONNXTensorState.maximumElements else { throw ShapeFailure(.tooLarge, "a product of dimensions above 2^62") }
        }
        return result
    }

    /// ⌊a ÷ b⌋ for b > 0, rounding toward −∞ as a size formula needs.
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && a < 0) ? quotient - 1 : quotient
    }

    /// ⌈a ÷ b⌉ for b > 0.
    static func ceilDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && a > 0) ? quotient + 1 : quotient
    }

    /// `axis` (negative counts from the end) as an index into `rank` dimensions.
    static func axis(_ axis: Int64, rank: Int) throws(ShapeFailure) -> Int {
        guard axis >= -Int64(rank), axis < Int64(rank) else {
            throw ShapeFailure(.badGraph, "axis \(axis) is out of range for \(rank) dimensions")
        }
        return Int(axis < 0 ? axis + Int64(rank) : axis)
    }

    /// The numpy broadcast of `shapes`: aligned from the right, each dimension equal or 1.
    static func broadcast(_ shapes: [[Int64]]) throws(ShapeFailure) -> [Int64] {
        let rank = shapes.map(\.count).max() ?? 0
        var result = [Int64](repeating: 1, count: rank)
        for shape in shapes {
            let offset = rank - shape.count
            for (index, dim) in shape.enumerated() {
                let current = result[offset + index]
                if dim == current || dim == 1 { continue }
                guard current == 1 else {
                    throw ShapeFailure(.shapeMismatch, "shapes \(shapes.map { "\($0)" }.joined(separator: " and ")) do not broadcast")
                }
                result[offset + index] = dim
            }
        }
        return result
    }
}
