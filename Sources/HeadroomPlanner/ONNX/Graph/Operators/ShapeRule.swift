/// An operator's shape rule: the states of a node's outputs from its inputs and attributes.
typealias ShapeRule = @Sendable (NodeContext) throws(ShapeFailure) -> [ONNXTensorState]

/// The shape rules by operator, and the operators known to be beyond them.
enum ONNXOperatorRules {
    /// Operators whose output shapes depend on the input data; no declared shape is trusted for them.
    static let dataDependent: Set<String> = [
        "NonZero", "Unique", "NonMaxSuppression", "Compress", "StringSplit", "RegexFullMatch", "Multinomial",
    ]

    /// The rule for `opType` in `domain`, where the analysis has one.
    static func rule(domain: String, opType: String) -> ShapeRule? {
        switch domain {
        case "", "ai.onnx":
            return ElementwiseRules.rule(opType) ?? LayoutRules.rule(opType) ?? IndexingRules.rule(opType)
                ?? ReductionRules.rule(opType) ?? MatrixRules.rule(opType) ?? ConvolutionRules.rule(opType)
                ?? GeneratorRules.rule(opType) ?? ResizeRules.rule(opType) ?? RecurrentRules.rule(opType)
        case "com.microsoft":
            return MicrosoftRules.rule(opType)
        default:
            return nil
        }
    }
}
