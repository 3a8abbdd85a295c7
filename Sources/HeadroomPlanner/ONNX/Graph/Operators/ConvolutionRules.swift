/// Shape rules of convolutions and pooling over N spatial dimensions (NCHW layout).
enum ConvolutionRules {
    static func rule(_ op: String) -> ShapeRule? {
        switch op {
        case "Conv", "ConvInteger", "QLinearConv": convolution
        case "ConvTranspose": transposedConvolution
        case "MaxPool", "AveragePool", "LpPool": pool
        case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool": globalPool
        default: nil
        }
    }

    /// The geometry attributes shared by convolutions and pools, one entry per spatial dimension.
    struct Window {
        var kernel: [Int64]
        var strides: [Int64]
        var dilations: [Int64]
        var pads: [Int64]
        var autoPad: String

        init(_ c: NodeContext, spatial: Int, kernel: [Int64]) throws(ShapeFailure) {
            self.kernel = kernel
            strides = try c.ints("strides") ?? Array(repeating: 1, count: spatial)
            dilations = try c.ints("dilations") ?? Array(repeating: 1, count: spatial)
            pads = try c.ints("pads") ?? Array(repeating: 0, count: 2 * spatial)
            autoPad = c.string("auto_pad", default: "NOTSET")
            guard kernel.count == spatial, strides.count == spatial, dilations.count == spatial, pads.count == 2 * spatial else {
                throw ShapeFailure(.badGraph, "kernel \(kernel), strides \(strides), dilations \(dilations) and pads \(pads) do not fit \(spatial) spatial dimensions")
            }
            guard kernel.allSatisfy({ $0 >= 1 }), strides.allSatisfy({ $0 >= 1 }), dilations.allSatisfy({ $0 >= 1 }),
                  pads.allSatisfy({ $0 >= 0 }) else {
                throw ShapeFailure(.badGraph, "kernel \(kernel), strides \(strides), dilations \(dilations) or pads \(pads) out of range")
            }
        }

        /// The extent a dilated kernel covers along `axis`: `(k − 1) × d + 1`.
        func extent(_ axis: Int) throws(ShapeFailure) -> Int64 {
            try DimensionArithmetic.add(try DimensionArithmetic.multiply(kernel[axis] - 1, dilations[axis]), 1)
        }

        /// The output size along spatial `axis` of an input of `size`, rounding up with `ceilMode` (pools).
        func output(_ axis: Int, size: Int64, ceilMode: Bool = false) throws(ShapeFailure) -> Int64 {
            let stride = strides[axis]
            switch autoPad {
            case "SAME_UPPER", "SAME_LOWER":
                return DimensionArithmetic.ceilDivide(size, stride)
            case "VALID":
                let span = try DimensionArithmetic.subtract(size, try extent(axis))
                guard span >= 0 else { throw ShapeFailure(.shapeMismatch, "input size \(size) is smaller than the kernel's extent") }
                return span / stride + 1
            case "NOTSET", "":
                let padded = try DimensionArithmetic.add(size, try DimensionArithmetic.add(pads[axis], pads[axis + kernel.count]))
                let span = try DimensionArithmetic.subtract(padded, try extent(axis))
                guard span >= 0 else { throw ShapeFailure(.shapeMismatch, "padded input size \(padded) is smaller than the kernel's extent") }
                var result = (ceilMode ? DimensionArithmetic.ceilDivide(span, stride) : span / stride) + 1
                // The last window must start inside the input or its leading padding (ONNX Runtime, PyTorch).
                if ceilMode, let start = try? DimensionArithmetic.multiply(result - 1, stride),
                   let limit = try? DimensionArithmetic.add(size, pads[axis]), start >= limit {
                    result -= 1
                }
                return result
            default:
                throw ShapeFailure(.badGraph, "auto_pad '\(autoPad)' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID")
            }
        }
    }

    /// `[N, M, out…]`: M filters from the weight `[M, C/group, k…]`.
    static func convolution(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let quantized = c.node.opType == "QLinearConv"
        let x = try c.input(0), w = try c.input(quantized ? 3 : 1)
        guard x.rank >= 3, w.rank == x.rank else {
            throw ShapeFailure(.shapeMismatch, "input \(x.shape) and weight \(w.shape) do not make a convolution")
        }
        let spatial = x.rank - 2
        let group = c.int("group", default: 1)
        guard group >= 1, (try? DimensionArithmetic.multiply(w.shape[1], group)) == x.shape[1] else {
            throw ShapeFailure(.shapeMismatch, "input has \(x.shape[1]) channels but weight \(w.shape) with group \(group) expects \(w.shape[1]) × \(group)")
        }
        let window = try Window(c, spatial: spatial, kernel: try c.ints("kernel_shape") ?? Array(w.shape[2...]))
        var shape = [x.shape[0], w.shape[0]]
        for axis in 0..<spatial { shape.append(try window.output(axis, size: x.shape[axis + 2])) }
        let type = switch c.node.opType {
        case "ConvInteger": ONNXDataType.int32
        case "QLinearConv": try c.input(7).dataType
        default: x.dataType
        }
        return [try ONNXTensorState(type, shape)]
    }

    /// `[N, W[1] × group, out…]` with out = stride × (in − 1) + output_padding + extent − pads, or `output_shape`.
    static func transposedConvolution(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0), w = try c.input(1)
        guard x.rank >= 3, w.rank == x.rank, w.shape[0] == x.shape[1] else {
            throw ShapeFailure(.shapeMismatch, "input \(x.shape) and weight \(w.shape) do not make a transposed convolution")
        }
        let spatial = x.rank - 2
        let group = c.int("group", default: 1)
        guard group >= 1 else { throw ShapeFailure(.badGraph, "group \(group)") }
        let window = try Window(c, spatial: spatial, kernel: try c.ints("kernel_shape") ?? Array(w.shape[2...]))
        let outputPadding = try c.ints("output_padding") ?? Array(repeating: 0, count: spatial)
        var shape = [x.shape[0], try DimensionArithmetic.multiply(w.shape[1], group)]
        if let explicit = try c.ints("output_shape") {
            guard explicit.count >= spatial else { throw ShapeFailure(.badGraph, "output_shape \(explicit) is shorter than \(spatial) dimensions") }
            shape += explicit.suffix(spatial)
        } else {
            guard outputPadding.count == spatial else { throw ShapeFailure(.badGraph, "output_padding \(outputPadding) does not fit \(spatial) dimensions") }
            for axis in 0..<spatial {
                let size = x.shape[axis + 2], stride = window.strides[axis]
                if window.autoPad == "SAME_UPPER" || window.autoPad == "SAME_LOWER" {
                    shape.append(try DimensionArithmetic.multiply(size, stride))
                    continue
                }
                var out = try DimensionArithmetic.multiply(stride, max(0, size - 1))
                out = try DimensionArithmetic.add(out, try DimensionArithmetic.add(outputPadding[axis], try window.extent(axis)))
                if window.autoPad != "VALID" {
                    out = try DimensionArithmetic.subtract(out, try DimensionArithmetic.add(window.pads[axis], window.pads[axis + spatial]))
                }
                guard out >= 0 else { throw ShapeFailure(.shapeMismatch, "output size \(out) along spatial dimension \(axis)") }
                shape.append(out)
            }
        }
        return [try ONNXTensorState(x.dataType, shape)]
    }

    /// `[N, C, out…]` from `kernel_shape`; MaxPool's optional indices are int64 of the same shape.
    static func pool(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        guard x.rank >= 3 else { throw ShapeFailure(.shapeMismatch, "pooling needs [N, C, spatial…], not \(x.shape)") }
        let spatial = x.rank - 2
        let window = try Window(c, spatial: spatial, kernel: try c.required(try c.ints("kernel_shape"), "'kernel_shape' attribute"))
        let ceilMode = c.int("ceil_mode", default: 0) != 0
        var shape = Array(x.shape[..<2])
        for axis in 0..<spatial { shape.append(try window.output(axis, size: x.shape[axis + 2], ceilMode: ceilMode)) }
        return [try ONNXTensorState(x.dataType, shape), try ONNXTensorState(ONNXDataType.int64, shape)]
    }

    /// `[N, C, 1, 1…]`.
    static func globalPool(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        guard x.rank >= 2 else { throw ShapeFailure(.shapeMismatch, "global pooling needs [N, C, …], not \(x.shape)") }
        return [try ONNXTensorState(x.dataType, Array(x.shape[..<2]) + Array(repeating: 1, count: x.rank - 2))]
    }
}
