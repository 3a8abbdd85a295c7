extension ONNXGraph {
    /// Operators whose output ONNX Runtime hands out as a view of input 0's buffer.
    static let aliasingOperators: Set<String> = ["Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout"]

    /// The peak of live activation bytes during one run with `bindings`, as
    /// ONNX Runtime's memory planner sees the graph.
    ///
    /// Shapes are computed node by node for the bound input dimensions. Then
    /// the nodes are walked in order: before a node runs its outputs are
    /// allocated (elements × element size: bool 1, float16 2, float 4, int64 8
    /// bytes, strings 32 per element); after it runs, each tensor whose last
    /// consumer it was is freed. Graph inputs are live from the start until
    /// their last use, graph outputs to the end. The outputs of `Reshape`,
    /// `Flatten`, `Squeeze`, `Unsqueeze`, `Identity` and `Dropout` are views
    /// (no new bytes; their input's buffer lives until the view's last use);
    /// elementwise operators are not taken to run in place. Initializers and
    /// `Constant` values are weights, not activations.
    ///
    /// The figure is the graph as exported: ONNX Runtime's own fusions can
    /// lower it, its arena's rounding and the kernels' scratch space raise it.
    /// - Throws: ``ONNXGraphError`` naming the input or node whose shapes
    ///   cannot be computed: an unbound symbolic dimension, an operator
    ///   without a rule, a shape that needs run-time values, or a malformed graph.
    ///
    /// With `blockedConvolutions` (ONNX Runtime on a CPU, whose default optimizations run 2-D
    /// convolutions in its blocked NCHWc layout) each `Conv` also holds a reordered copy of its input.
    public func activationPeak(_ bindings: ONNXDimensionBindings, blockedConvolutions: Bool = false) throws(ONNXGraphError) -> ONNXActivationPeak {
        let inference = try ONNXShapeInference(self, bindings)
        return try ONNXLiveness(graph: self, states: inference.states, blockedConvolutions: blockedConvolutions)
            .peak(valueInfoNodes: inference.valueInfoNodes)
    }

    /// The activation peak at batch 1 and batch 2 (``ONNXDimensionBindings/batch``
    /// replaced; the other bindings kept), split into a fixed part and a part per item.
    ///
    /// A batch dimension bound by name in ``ONNXDimensionBindings/named`` does not
    /// follow the batch, and the part per item is then zero.
    /// - Throws: ``ONNXGraphError`` as ``activationPeak(_:)`` does.
    public func activationScaling(_ bindings: ONNXDimensionBindings, blockedConvolutions: Bool = false) throws(ONNXGraphError) -> ONNXActivationScaling {
        var one = bindings, two = bindings
        one.batch = 1
        two.batch = 2
        return ONNXActivationScaling(batchOfOne: try activationPeak(one, blockedConvolutions: blockedConvolutions),
                                     batchOfTwo: try activationPeak(two, blockedConvolutions: blockedConvolutions))
    }
}
