/// The walk that finds an ``ONNXActivationPeak`` from every tensor's shape:
/// buffers allocated before the node that produces them, freed after their last consumer.
struct ONNXLiveness {
    let graph: ONNXGraph
    let states: [ONNXTensorState?]
    /// Whether each 4-D `Conv` also holds a blocked copy of its input while it runs.
    var blockedConvolutions = false

    func peak(valueInfoNodes: [Int]) throws(ONNXGraphError) -> ONNXActivationPeak {
        let count = graph.tensorNames.count
        // Constants (initializers, Constant outputs and views of them) are weights, never allocated here.
        var isConstant = [Bool](repeating: false, count: count)
        for id in graph.initializers.keys { isConstant[id] = true }
        // The buffer each tensor lives in: its own, or the one a view shares.
        var root = Array(0..<count)
        var bytes = [Int64](repeating: 0, count: count)
        for id in 0..<count {
            guard let state = states[id] else { continue }
            guard let size = ONNXDataType.byteCount(elements: state.elementCount, type: state.dataType) else {
                throw ONNXGraphError(.tooLarge, path: graph.path, tensor: graph.tensorNames[id],
                                     "\(state.elementCount) elements of type \(state.dataType) overflow 64 bits of bytes")
            }
            bytes[id] = size
        }
        var lastUse = [Int](repeating: -1, count: count)
        for (index, node) in graph.nodes.enumerated() {
            let standard = node.domain.isEmpty || node.domain == "ai.onnx"
            if standard, node.opType == "Constant" {
                for id in node.outputs where id >= 0 { isConstant[id] = true }
            } else if standard, ONNXGraph.aliasingOperators.contains(node.opType),
                      let input = node.inputs.first, input >= 0, let output = node.outputs.first, output >= 0 {
                if isConstant[input] { isConstant[output] = true } else { root[output] = root[input] }
            }
            for id in node.inputs + node.outputs where id >= 0 { lastUse[root[id]] = max(lastUse[root[id]], index) }
        }
        var keep = [Bool](repeating: false, count: count)
        for output in graph.outputs { keep[root[output.id]] = true }

        var live: Int64 = 0
        var inputBytes: Int64 = 0
        for input in graph.inputs {
            inputBytes = inputBytes.addingSaturating(bytes[input.id])
            live = live.addingSaturating(bytes[input.id])
        }
        var outputBytes: Int64 = 0
        for output in graph.outputs where !isConstant[output.id] { outputBytes = outputBytes.addingSaturating(bytes[output.id]) }
        var peak = live
        var peakIndex: Int?
        var freed = [Bool](repeating: false, count: count)
        var largest: (id: Int, bytes: Int64)?
        func release(_ id: Int, after index: Int) {
            let buffer = root[id]
            guard !freed[buffer], !keep[buffer], !isConstant[buffer], lastUse[buffer] <= index else { return }
            freed[buffer] = true
            live = live.subtractingSaturating(bytes[buffer])
        }
        for input in graph.inputs where largest == nil || bytes[input.id] > largest!.bytes { largest = (input.id, bytes[input.id]) }
        for input in graph.inputs { release(input.id, after: -1) }

        for (index, node) in graph.nodes.enumerated() {
            for id in node.outputs where id >= 0 && root[id] == id && !isConstant[id] {
                live = live.addingSaturating(bytes[id])
                if largest == nil || bytes[id] > largest!.bytes { largest = (id, bytes[id]) }
            }
            var scratch: Int64 = 0
            if blockedConvolutions, node.opType == "Conv", node.domain.isEmpty || node.domain == "ai.onnx",
               let input = node.inputs.first, input >= 0, states[input]?.shape.count == 4 {
                scratch = bytes[input]
            }
            if live.addingSaturating(scratch) > peak {
                peak = live.addingSaturating(scratch)
                peakIndex = index
            }
            for id in node.inputs + node.outputs where id >= 0 { release(id, after: index) }
        }
        let fallbacks = valueInfoNodes.prefix(16).map { graph.label($0) }
        return ONNXActivationPeak(
            peak: ByteCount(peak), nodeIndex: peakIndex, node: peakIndex.map { graph.label($0) } ?? "graph inputs",
            inputs: ByteCount(inputBytes), outputs: ByteCount(outputBytes),
            largestTensor: largest.map { ONNXActivationPeak.Tensor(name: graph.tensorNames[$0.id], bytes: ByteCount($0.bytes)) },
            shapesFromValueInfo: Array(fallbacks), shapesFromValueInfoCount: valueInfoNodes.count)
    }
}
