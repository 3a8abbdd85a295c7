/// Shape rules of `Resize` and `Upsample`: sizes given outright, or scales.
enum ResizeRules {
    static func rule(_ op: String) -> ShapeRule? {
        switch op {
        case "Resize", "Upsample": resize
        default: nil
        }
    }

    /// Sizes (input 3) when given, else each dimension × its scale (input 2; input 1 with two inputs;
    /// the `scales` attribute of Upsample-7), rounded down as ONNX Runtime does, in single precision.
    static func resize(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        var axes = Array(0..<x.rank)
        if let given = try c.ints("axes") {
            axes = []
            for value in given { axes.append(try DimensionArithmetic.axis(value, rank: x.rank)) }
        }
        var shape = x.shape
        let isUpsample = c.node.opType == "Upsample"
        if !isUpsample, c.node.inputs.count >= 4, c.given(3) != nil {
            let sizes = try c.intValues(3, "sizes")
            guard sizes.count == axes.count, sizes.allSatisfy({ $0 >= 0 }) else {
                throw ShapeFailure(.badGraph, "sizes \(sizes) do not fit axes \(axes)")
            }
            let policy = c.string("keep_aspect_ratio_policy", default: "stretch")
            if policy == "stretch" {
                for (position, axis) in axes.enumerated() { shape[axis] = sizes[position] }
            } else {
                let ratios = axes.enumerated().map { x.shape[$0.element] == 0 ? 1 : Double(sizes[$0.offset]) / Double(x.shape[$0.element]) }
                let scale = policy == "not_smaller" ? ratios.max() ?? 1 : ratios.min() ?? 1
                for axis in axes { shape[axis] = try scaled(x.shape[axis], scale) }
            }
            return [try ONNXTensorState(x.dataType, shape)]
        }
        let scales: [Double]
        if isUpsample, let attribute = try c.floats("scales") {
            scales = attribute
        } else {
            let index = c.node.inputs.count == 2 ? 1 : 2
            guard c.given(index) != nil else { throw ShapeFailure(.badGraph, "neither scales nor sizes are given") }
            scales = try c.doubleValues(index, "scales")
        }
        guard scales.count == axes.count, scales.allSatisfy({ $0 > 0 }) else {
            throw ShapeFailure(.badGraph, "scales \(scales) do not fit axes \(axes)")
        }
        for (position, axis) in axes.enumerated() {
            let product = Float(x.shape[axis]) * Float(scales[position])
            guard let size = ONNXValues.truncated(Double(product)), size <= ONNXTensorState.maximumElements else {
                throw ShapeFailure(.tooLarge, "dimension \(x.shape[axis]) × scale \(scales[position]) is too large")
            }
            shape[axis] = size
        }
        return [try ONNXTensorState(x.dataType, shape)]
    }

    /// `dim × scale` rounded half up, as `keep_aspect_ratio_policy` asks.
    private static func scaled(_ dim: Int64, _ scale: Double) throws(ShapeFailure) -> Int64 {
        guard let size = ONNXValues.truncated((Double(dim) * scale + 0.5).rounded(.down)), size <= ONNXTensorState.maximumElements else {
            throw ShapeFailure(.tooLarge, "dimension \(dim) × scale \(scale) is too large")
        }
        return size
    }
}
