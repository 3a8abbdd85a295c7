/// One node as an operator's shape rule sees it: its attributes and the
/// states of its inputs, with accessors that fail with a reason.
struct NodeContext {
    let graph: ONNXGraph
    let node: ONNXGraph.Node
    /// The inputs' states, by position; `nil` for an omitted optional input.
    let inputs: [ONNXTensorState?]
    /// The operator set version of the node's domain.
    let opset: Int64

    /// The number of outputs the node declares, omitted optional ones included.
    var outputCount: Int { node.outputs.count }

    /// The name of input `index`, for messages.
    func inputName(_ index: Int) -> String {
        index < node.inputs.count && node.inputs[index] >= 0 ? graph.tensorNames[node.inputs[index]] : ""
    }

    /// Input `index`, which the operator requires.
    func input(_ index: Int) throws(ShapeFailure) -> ONNXTensorState {
        guard let state = optional(index) else {
            throw ShapeFailure(.badGraph, "input \(index) is required but missing")
        }
        return state
    }

    /// Input `index`, or `nil` when it is omitted.
    func optional(_ index: Int) -> ONNXTensorState? {
        index < inputs.count ? inputs[index] : nil
    }

    /// Input `index` with at least one element, or `nil`: several operators take an empty tensor to mean "not given".
    func given(_ index: Int) -> ONNXTensorState? {
        guard let state = optional(index), state.elementCount > 0 else { return nil }
        return state
    }

    /// The integer values of input `index`, which the output's shape needs.
    /// - Throws: `unknownValue` when they are computed from data at run time.
    func intValues(_ index: Int, _ what: String) throws(ShapeFailure) -> [Int64] {
        let state = try input(index)
        guard let values = state.ints else {
            throw ShapeFailure(.unknownValue, tensor: inputName(index),
                               "the \(what) (input \(index)) is computed at run time, so the output's shape is not known")
        }
        return values
    }

    /// The floating-point values of input `index`, which the output's shape needs.
    func doubleValues(_ index: Int, _ what: String) throws(ShapeFailure) -> [Double] {
        let state = try input(index)
        guard let values = state.values else {
            throw ShapeFailure(.unknownValue, tensor: inputName(index),
                               "the \(what) (input \(index)) is computed at run time, so the output's shape is not known")
        }
        return values.doubles
    }

    func int(_ name: String) -> Int64? { node.attribute(name)?.int }
    func int(_ name: String, default value: Int64) -> Int64 { int(name) ?? value }
    func float(_ name: String, default value: Double) -> Double { node.attribute(name)?.float ?? value }
    func string(_ name: String, default value: String) -> String { node.attribute(name)?.string ?? value }

    /// The `ints` attribute `name`, where present.
    /// - Throws: `unsupportedOperator` when the list was too long to keep.
    func ints(_ name: String) throws(ShapeFailure) -> [Int64]? {
        guard let attribute = node.attribute(name) else { return nil }
        guard !attribute.isTruncated else {
            throw ShapeFailure(.unsupportedOperator, "attribute '\(name)' holds more than \(ONNXAttribute.maximumListLength) values")
        }
        if attribute.ints.isEmpty, let single = attribute.int { return [single] }
        return attribute.ints
    }

    /// The `floats` attribute `name`, where present.
    func floats(_ name: String) throws(ShapeFailure) -> [Double]? {
        guard let attribute = node.attribute(name) else { return nil }
        guard !attribute.isTruncated else {
            throw ShapeFailure(.unsupportedOperator, "attribute '\(name)' holds more than \(ONNXConstant.maximumValues) values")
        }
        return attribute.floats
    }

    /// An attribute or input the operator requires.
    func required<T>(_ value: T?, _ what: String) throws(ShapeFailure) -> T {
        guard let value else { throw ShapeFailure(.badGraph, "the \(what) is missing") }
        return value
    }

    /// Axes from the `axes` attribute (older operator sets) or input `index` (newer), normalized to `rank`; `nil` when neither is given.
    func axes(input index: Int, rank: Int) throws(ShapeFailure) -> [Int]? {
        var raw: [Int64]?
        if let attribute = try ints("axes") {
            raw = attribute
        } else if optional(index) != nil {
            raw = try intValues(index, "axes")
        }
        guard let raw else { return nil }
        var axes: [Int] = []
        for value in raw {
            let axis = try DimensionArithmetic.axis(value, rank: rank)
            guard !axes.contains(axis) else { throw ShapeFailure(.badGraph, "axis \(value) appears twice") }
            axes.append(axis)
        }
        return axes
    }
}
