/// Shape rules of the ONNX Runtime operators (`com.microsoft`) whose shapes are
/// plain; fused attention and the rest are reported as unsupported.
enum MicrosoftRules {
    /// Fused attention operators: their outputs' shapes may be declared, but their working memory
    /// (the scores, B × heads × S × S) is inside the operator, so a declared shape would understate the peak.
    static let fusedAttention: Set<String> = [
        "Attention", "MultiHeadAttention", "GroupQueryAttention", "PackedAttention", "PackedMultiHeadAttention",
        "DecoderAttention", "DecoderMaskedMultiHeadAttention", "DecoderMaskedSelfAttention", "LongformerAttention",
        "SparseAttention", "PagedAttention",
    ]

    static func rule(_ op: String) -> ShapeRule? {
        switch op {
        case "Gelu", "FastGelu", "BiasGelu", "QuickGelu", "BiasAdd", "RotaryEmbedding", "BiasDropout": firstInput
        case "SkipLayerNormalization", "SkipSimplifiedLayerNormalization": skipLayerNormalization
        case "SimplifiedLayerNormalization": ElementwiseRules.layerNormalization
        case "FusedMatMul": fusedMatMul
        case "MatMulNBits": matMulNBits
        case "FusedConv": ConvolutionRules.convolution
        default: nil
        }
    }

    /// One output of input 0's shape and type.
    static func firstInput(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        return [try ONNXTensorState(x.dataType, x.shape)]
    }

    /// Output of the input's shape; mean and inverse deviation `[…, 1]` in float; the sum of input and skip.
    static func skipLayerNormalization(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0)
        let statistics = try ONNXTensorState(ONNXDataType.float, Array(x.shape.dropLast()) + [1])
        let output = try ONNXTensorState(x.dataType, x.shape)
        return [output, statistics, statistics, output]
    }

    /// MatMul with the last two dimensions of A or B transposed (`transA`, `transB`).
    static func fusedMatMul(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let a = try c.input(0), b = try c.input(1)
        let shape = try MatrixRules.product(a.shape, b.shape, transposeA: c.int("transA", default: 0) != 0 && a.rank >= 2,
                                            transposeB: c.int("transB", default: 0) != 0 && b.rank >= 2)
        return [try ONNXTensorState(a.dataType, shape)]
    }

    /// A 4-bit (or n-bit) quantized MatMul: A's shape with the last dimension `N`.
    static func matMulNBits(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let a = try c.input(0)
        let n = try c.required(c.int("N"), "'N' attribute")
        guard a.rank >= 1, n >= 0 else { throw ShapeFailure(.badGraph, "input \(a.shape) with N = \(n)") }
        return [try ONNXTensorState(a.dataType, Array(a.shape.dropLast()) + [n])]
    }
}
