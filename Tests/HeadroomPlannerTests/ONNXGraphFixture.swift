/// Writes ONNX graphs (nodes, attributes, inputs and outputs with symbolic
/// dimensions, value_info) in protobuf wire format by hand, on top of ``ONNXFixture``.
struct ONNXGraphFixture {
    typealias F = ONNXFixture

    /// A declared dimension.
    enum Dim: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
        case value(Int64)
        case param(String)
        case unknown

        init(integerLiteral value: Int64) { self = .value(value) }
        init(stringLiteral value: String) { self = .param(value) }
    }

    var nodes: [[UInt8]] = []
    var initializers: [[UInt8]] = []
    var inputs: [[UInt8]] = []
    var outputs: [[UInt8]] = []
    var valueInfo: [[UInt8]] = []
    var opset: Int64 = 17

    // MARK: Messages

    /// A `ValueInfoProto` of a tensor: name, elem_type and shape (none when `dims` is nil).
    static func value(_ name: String, type: UInt64 = 1, _ dims: [Dim]?) -> [UInt8] {
        var tensorType = F.varintField(1, type)
        if let dims {
            var shape: [UInt8] = []
            for dim in dims {
                switch dim {
                case .value(let v): shape += F.bytesField(1, F.varintField(1, UInt64(bitPattern: v)))
                case .param(let p): shape += F.bytesField(1, F.stringField(2, p))
                case .unknown: shape += F.bytesField(1, [])
                }
            }
            tensorType += F.bytesField(2, shape)
        }
        return F.stringField(1, name) + F.bytesField(2, F.bytesField(1, tensorType))
    }

    /// A `TensorProto` with int64 values in `int64_data` (packed), or float values in `float_data`.
    static func tensor(_ name: String, dims: [Int64], int64s: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = []
        for dim in dims { bytes += F.varintField(1, UInt64(bitPattern: dim)) }
        bytes += F.varintField(2, 7)
        bytes += F.bytesField(7, int64s.flatMap { F.varint(UInt64(bitPattern: $0)) })
        return bytes + F.stringField(8, name)
    }

    static func tensor(_ name: String, dims: [Int64], floats: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        for dim in dims { bytes += F.varintField(1, UInt64(bitPattern: dim)) }
        bytes += F.varintField(2, 1)
        bytes += F.bytesField(4, floats.flatMap { float in (0..<4).map { UInt8(truncatingIfNeeded: float.bitPattern >> (8 * $0)) } })
        return bytes + F.stringField(8, name)
    }

    /// Attributes: `AttributeProto` name (1), type (20) and value.
    enum Attribute {
        case int(String, Int64)
        case ints(String, [Int64])
        case float(String, Float)
        case floats(String, [Float])
        case string(String, String)
        case tensor(String, [UInt8])
        case graph(String)

        var bytes: [UInt8] {
            switch self {
            case .int(let n, let v): F.stringField(1, n) + F.varintField(3, UInt64(bitPattern: v)) + F.varintField(20, 2)
            case .ints(let n, let v): F.stringField(1, n) + F.bytesField(8, v.flatMap { F.varint(UInt64(bitPattern: $0)) }) + F.varintField(20, 7)
            case .float(let n, let v): F.stringField(1, n) + F.key(2, 5) + Self.le(v) + F.varintField(20, 1)
            case .floats(let n, let v): F.stringField(1, n) + F.bytesField(7, v.flatMap(Self.le)) + F.varintField(20, 6)
            case .string(let n, let v): F.stringField(1, n) + F.stringField(4, v) + F.varintField(20, 3)
            case .tensor(let n, let t): F.stringField(1, n) + F.bytesField(5, t) + F.varintField(20, 4)
            case .graph(let n): F.stringField(1, n) + F.bytesField(6, F.stringField(2, "body")) + F.varintField(20, 5)
            }
        }

        private static func le(_ value: Float) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
    }

    // MARK: Building

    mutating func input(_ name: String, type: UInt64 = 1, _ dims: [Dim]?) { inputs.append(Self.value(name, type: type, dims)) }
    mutating func output(_ name: String, type: UInt64 = 1, _ dims: [Dim]? = nil) { outputs.append(Self.value(name, type: type, dims)) }
    mutating func info(_ name: String, type: UInt64 = 1, _ dims: [Dim]?) { valueInfo.append(Self.value(name, type: type, dims)) }

    /// A float initializer of `dims` with raw_data of the right length (zeros).
    mutating func weight(_ name: String, _ dims: [Int64]) {
        initializers.append(F.tensor(name: name, dims: dims, dataType: 1, rawData: Int(dims.reduce(4, *))))
    }

    /// An int64 initializer holding `values`.
    mutating func ints(_ name: String, _ values: [Int64], dims: [Int64]? = nil) {
        initializers.append(Self.tensor(name, dims: dims ?? [Int64(values.count)], int64s: values))
    }

    mutating func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String = "", domain: String? = nil,
                       _ attributes: [Attribute] = []) {
        var bytes: [UInt8] = []
        for input in inputs { bytes += F.stringField(1, input) }
        for output in outputs { bytes += F.stringField(2, output) }
        if !name.isEmpty { bytes += F.stringField(3, name) }
        bytes += F.stringField(4, op)
        for attribute in attributes { bytes += F.bytesField(5, attribute.bytes) }
        if let domain { bytes += F.stringField(7, domain) }
        nodes.append(bytes)
    }

    /// The `ModelProto`: ir_version, producer, graph (nodes, name, initializers, inputs, outputs, value_info), opset_import.
    func bytes() -> [UInt8] {
        var graph: [UInt8] = []
        for node in nodes { graph += F.bytesField(1, node) }
        graph += F.stringField(2, "fixture")
        for initializer in initializers { graph += F.bytesField(5, initializer) }
        for input in inputs { graph += F.bytesField(11, input) }
        for output in outputs { graph += F.bytesField(12, output) }
        for info in valueInfo { graph += F.bytesField(13, info) }
        let opsetImport = F.stringField(1, "") + F.varintField(2, UInt64(opset))
        return F.varintField(1, 8) + F.stringField(2, "fixture") + F.bytesField(7, graph) + F.bytesField(8, opsetImport)
    }
}
