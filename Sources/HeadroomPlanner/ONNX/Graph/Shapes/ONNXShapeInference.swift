/// Every tensor's element type and concrete shape for one binding of the
/// graph's symbolic input dimensions, computed node by node in file order.
///
/// Small integer and float tensors carry their values too, so that the shape
/// arithmetic exported models are full of (`Shape → Gather → Unsqueeze →
/// Concat → Reshape`) resolves. A node whose operator has no rule, or whose
/// shape needs values only known at run time, takes its outputs' shapes from
/// the model's `value_info` when those are concrete, and fails otherwise.
struct ONNXShapeInference {
    let graph: ONNXGraph
    let bindings: ONNXDimensionBindings
    /// Each tensor's state by tensor index, once known.
    private(set) var states: [ONNXTensorState?]
    /// Symbolic dimension names bound at the inputs, for reading `value_info`.
    private(set) var symbols: [String: Int64] = [:]
    /// The nodes whose output shapes came from `value_info`.
    private(set) var valueInfoNodes: [Int] = []

    /// Computes every tensor's state.
    /// - Throws: ``ONNXGraphError`` naming the input or node where shapes cannot be computed.
    init(_ graph: ONNXGraph, _ bindings: ONNXDimensionBindings) throws(ONNXGraphError) {
        self.graph = graph
        self.bindings = bindings
        states = Array(repeating: nil, count: graph.tensorNames.count)
        for (id, constant) in graph.initializers {
            do {
                states[id] = try ONNXTensorState(constant.dataType, constant.dims, values: constant.values)
            } catch {
                throw ONNXGraphError(error.kind, path: graph.path, tensor: graph.tensorNames[id], error.message)
            }
        }
        try bindInputs()
        for index in graph.nodes.indices { try infer(index) }
        for output in graph.outputs where states[output.id] == nil {
            throw ONNXGraphError(.badGraph, path: graph.path, tensor: output.name, "graph output is never produced by a node")
        }
    }

    private mutating func bindInputs() throws(ONNXGraphError) {
        for input in graph.inputs {
            func fail(_ kind: ONNXGraphError.Kind, _ message: String) -> ONNXGraphError {
                ONNXGraphError(kind, path: graph.path, tensor: input.name, message)
            }
            guard input.isTensor else { throw fail(.unsupportedOperator, "graph input is not a tensor (a sequence, map or optional)") }
            guard input.dataType == ONNXDataType.string || ONNXDataType.elementType(input.dataType) != nil else {
                throw fail(.badGraph, "graph input has unknown element type \(input.dataType)")
            }
            guard let dimensions = input.dimensions else { throw fail(.unboundDimension, "graph input declares no shape") }
            var shape: [Int64] = []
            for (index, dimension) in dimensions.enumerated() {
                var symbol: String?
                var value: Int64?
                switch dimension {
                case .value(let fixed): value = fixed
                case .symbolic(let name):
                    symbol = name
                    value = bindings.value(symbol: name, index: index, rank: dimensions.count)
                case .unknown:
                    value = bindings.value(symbol: nil, index: index, rank: dimensions.count)
                }
                let what = symbol.map { "dimension \(index) ('\($0)')" } ?? "dimension \(index) (unnamed)"
                guard let value else {
                    throw fail(.unboundDimension, "\(what) of the \(dimensions.count)-D input is symbolic and unbound; "
                        + "bind it by name or with batch, height, width or sequence")
                }
                guard value >= 0 else { throw fail(.unboundDimension, "\(what) is bound to \(value), a negative size") }
                if let symbol, symbols[symbol] == nil { symbols[symbol] = value }
                shape.append(value)
            }
            do {
                states[input.id] = try ONNXTensorState(input.dataType, shape)
            } catch {
                throw fail(error.kind, error.message)
            }
        }
    }

    private mutating func infer(_ index: Int) throws(ONNXGraphError) {
        let node = graph.nodes[index]
        var inputs: [ONNXTensorState?] = []
        for id in node.inputs {
            guard id >= 0 else { inputs.append(nil); continue }
            guard let state = states[id] else {
                throw error(ShapeFailure(.badGraph, tensor: graph.tensorNames[id],
                                         "input is not produced by an earlier node, an initializer or a graph input"), at: index)
            }
            inputs.append(state)
        }
        let outputs: [ONNXTensorState]
        do throws(ShapeFailure) {
            outputs = try shapes(node, inputs)
        } catch let failure {
            guard failure.allowsValueInfo, failure.kind == .unsupportedOperator || failure.kind == .unknownValue,
                  let declared = declaredShapes(node) else { throw self.error(failure, at: index) }
            outputs = declared
            valueInfoNodes.append(index)
        }
        for (position, id) in node.outputs.enumerated() where id >= 0 {
            let name = graph.tensorNames[id]
            guard position < outputs.count else {
                throw error(ShapeFailure(.unsupportedOperator, tensor: name, "output \(position) of \(node.opType) is not computed"), at: index)
            }
            let type = outputs[position].dataType
            guard type == ONNXDataType.string || ONNXDataType.elementType(type) != nil else {
                throw error(ShapeFailure(.badGraph, tensor: name, "output has unknown element type \(type)"), at: index)
            }
            guard states[id] == nil else {
                throw error(ShapeFailure(.badGraph, tensor: name, "tensor is produced twice (or is also an initializer or graph input)"), at: index)
            }
            states[id] = outputs[position]
        }
    }

    /// The node's output states from its operator's rule.
    private func shapes(_ node: ONNXGraph.Node, _ inputs: [ONNXTensorState?]) throws(ShapeFailure) -> [ONNXTensorState] {
        guard !node.hasSubgraph else {
            throw ShapeFailure(.unsupportedOperator, allowsValueInfo: false, "holds a subgraph (If, Loop and Scan bodies are not analysed)")
        }
        let standard = node.domain.isEmpty || node.domain == "ai.onnx"
        if standard, ONNXOperatorRules.dataDependent.contains(node.opType) {
            throw ShapeFailure(.unsupportedOperator, allowsValueInfo: false, "the output's shape depends on the input data")
        }
        if node.domain == "com.microsoft", MicrosoftRules.fusedAttention.contains(node.opType) {
            throw ShapeFailure(.unsupportedOperator, allowsValueInfo: false,
                               "fused attention: its working memory (the attention scores) is not modelled")
        }
        guard let rule = ONNXOperatorRules.rule(domain: node.domain, opType: node.opType) else {
            let domain = standard ? "" : " of domain '\(node.domain)'"
            throw ShapeFailure(.unsupportedOperator, "operator \(node.opType)\(domain) has no shape rule and its outputs no concrete value_info")
        }
        let context = NodeContext(graph: graph, node: node, inputs: inputs, opset: graph.opsets[node.domain] ?? graph.opsetVersion)
        return try rule(context)
    }

    /// The node's outputs as `value_info` declares them, when every one is concrete after binding.
    private func declaredShapes(_ node: ONNXGraph.Node) -> [ONNXTensorState]? {
        var result: [ONNXTensorState] = []
        for id in node.outputs {
            guard id >= 0 else {
                result.append(.scalar(ONNXDataType.float))
                continue
            }
            guard let info = graph.valueInfo[id], info.isTensor, let dimensions = info.dimensions,
                  info.dataType == ONNXDataType.string || ONNXDataType.elementType(info.dataType) != nil else { return nil }
            var shape: [Int64] = []
            for dimension in dimensions {
                switch dimension {
                case .value(let value): shape.append(value)
                case .symbolic(let name):
                    guard let value = bindings.named[name] ?? symbols[name] else { return nil }
                    shape.append(value)
                case .unknown: return nil
                }
            }
            guard let state = try? ONNXTensorState(info.dataType, shape) else { return nil }
            result.append(state)
        }
        return result
    }

    private func error(_ failure: ShapeFailure, at index: Int) -> ONNXGraphError {
        ONNXGraphError(failure.kind, path: graph.path, nodeIndex: index, node: graph.label(index), tensor: failure.tensor, failure.message)
    }
}
