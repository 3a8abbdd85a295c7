/// What shape inference knows of one tensor during one run: its element
/// type, its concrete shape, and its values when it is small and computable.
struct ONNXTensorState: Sendable, Hashable {
    /// The most elements a tensor may have: 2^62.
    static let maximumElements: Int64 = 1 << 62

    var dataType: UInt64
    var shape: [Int64]
    var elementCount: Int64
    /// The values, for tensors of at most ``ONNXConstant/maximumValues`` elements whose values are known.
    var values: ONNXValues?

    /// A tensor of `dataType` and `shape`, keeping `values` when they match its size.
    /// - Throws: `shapeMismatch` for a negative dimension, `tooLarge` past 2^62 elements or 64 dimensions.
    init(_ dataType: UInt64, _ shape: [Int64], values: ONNXValues? = nil) throws(ShapeFailure) {
        guard shape.count <= ONNXReader.maximumDimensions else {
            throw ShapeFailure(.tooLarge, "a shape of \(shape.count) dimensions (at most \(ONNXReader.maximumDimensions))")
        }
        var count: Int64 = 1
        for dimension in shape {
            guard dimension >= 0 else { throw ShapeFailure(.shapeMismatch, "shape \(shape) has a negative dimension") }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= ONNXTensorState.maximumElements else {
                throw ShapeFailure(.tooLarge, "shape \(shape) has more than 2^62 elements")
            }
            count = product
        }
        // A zero dimension makes the product 0 however large the others; each must still be sane.
        guard shape.allSatisfy({ $0 <= ONNXTensorState.maximumElements }) else {
            throw ShapeFailure(.tooLarge, "shape \(shape) has a dimension above 2^62")
        }
        self.dataType = dataType
        self.shape = shape
        self.elementCount = count
        if let values, Int64(values.count) == count {
            self.values = ONNXDataType.isFloatingPoint(dataType) ? .floats(values.doubles) : values
        }
    }

    private init(scalar dataType: UInt64) {
        self.dataType = dataType
        shape = []
        elementCount = 1
    }

    /// A scalar of `dataType`, which needs no checks.
    static func scalar(_ dataType: UInt64) -> ONNXTensorState { ONNXTensorState(scalar: dataType) }

    var rank: Int { shape.count }

    /// The values as integers, where known.
    var ints: [Int64]? { values?.ints }

    /// The same tensor with another element type; values are converted as a cast would.
    func cast(to type: UInt64) throws(ShapeFailure) -> ONNXTensorState {
        try ONNXTensorState(type, shape, values: values.flatMap { ONNXDataType.convert($0, to: type) })
    }
}
