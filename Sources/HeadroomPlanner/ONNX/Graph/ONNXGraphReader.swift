/// Walks a `ModelProto` in place and builds an ``ONNXGraph``: the graph's
/// nodes, initializers, inputs, outputs and `value_info`, and `opset_import`.
///
/// Every length is checked against its enclosing message before use, so a
/// declared length never sizes an allocation; lists and names have limits.
struct ONNXGraphReader {
    /// The most bytes of distinct tensor names and node names kept.
    static let maximumNameBytes = 256 << 20
    /// The most inputs or outputs one node may list.
    static let maximumNodeArguments = 100_000
    /// The most attributes one node may carry.
    static let maximumAttributes = 4096
    /// The most inputs, outputs or `value_info` entries a graph may declare.
    static let maximumDeclarations = 4_000_000
    /// The most attribute list elements (`ints`, `floats`) kept over the whole graph.
    static let maximumAttributeValues = 16_000_000

    var cursor: FileCursor
    var graph: ONNXGraph
    /// Tensor name → index in `graph.tensorNames`.
    var ids: [String: Int] = [:]
    var nameBytes = 0
    var attributeValues = 0
    var declaredInputs: [ONNXGraph.ValueInfo] = []

    init(file: ModelFile) {
        cursor = FileCursor(file: file)
        graph = ONNXGraph(path: file.path)
    }

    mutating func readModel() throws(ModelFileError) -> ONNXGraph {
        let end = cursor.file.size
        var sawGraph = false
        while cursor.offset < end {
            let at = cursor.offset
            let key = try cursor.readKey()
            switch key.field {
            case 7:
                let graphEnd = try messageEnd(key, at: at, end: end, what: "graph")
                guard !sawGraph else { throw cursor.error(.duplicate, at: at, "the model holds a second graph (ModelProto field 7)") }
                sawGraph = true
                try readGraph(end: graphEnd)
            case 8:
                let opsetEnd = try messageEnd(key, at: at, end: end, what: "opset_import")
                try readOpset(end: opsetEnd)
            default:
                try cursor.skipValue(key, end: end)
            }
        }
        try finish(end, "model")
        guard sawGraph else { throw cursor.error(.badField, at: 0, "the model has no graph (ModelProto field 7)") }
        graph.opsetVersion = graph.opsets[""] ?? graph.opsets["ai.onnx"] ?? 0
        // Models before IR version 4 list every initializer as an input too; those are weights, not feeds.
        graph.inputs = declaredInputs.filter { graph.initializers[$0.id] == nil }
        return graph
    }

    private mutating func readGraph(end: Int64) throws(ModelFileError) {
        while cursor.offset < end {
            let at = cursor.offset
            let key = try cursor.readKey()
            switch key.field {
            case 1:
                let nodeEnd = try messageEnd(key, at: at, end: end, what: "node")
                guard graph.nodes.count < ONNXGraph.maximumNodes else {
                    throw cursor.error(.lengthTooLarge, at: at, "the graph has more than \(ONNXGraph.maximumNodes) nodes")
                }
                graph.nodes.append(try readNode(end: nodeEnd))
            case 5:
                let tensorEnd = try messageEnd(key, at: at, end: end, what: "initializer")
                let record = try readTensor(end: tensorEnd)
                try addInitializer(record.name, try record.constant(cursor: cursor, at: at), at: at)
            case 15:
                let sparseEnd = try messageEnd(key, at: at, end: end, what: "sparse_initializer")
                let (name, constant) = try readSparseTensor(end: sparseEnd, at: at)
                try addInitializer(name, constant, at: at)
            case 11, 12, 13:
                let what = key.field == 11 ? "input" : key.field == 12 ? "output" : "value_info"
                let infoEnd = try messageEnd(key, at: at, end: end, what: what)
                let info = try readValueInfo(end: infoEnd, at: at)
                guard declaredInputs.count + graph.outputs.count + graph.valueInfo.count < ONNXGraphReader.maximumDeclarations else {
                    throw cursor.error(.lengthTooLarge, at: at, "the graph declares more than \(ONNXGraphReader.maximumDeclarations) values")
                }
                switch key.field {
                case 11: declaredInputs.append(info)
                case 12:
                    graph.outputs.append(info)
                    if graph.valueInfo[info.id] == nil { graph.valueInfo[info.id] = info }
                default: graph.valueInfo[info.id] = info
                }
            default:
                try cursor.skipValue(key, end: end)
            }
        }
        try finish(end, "graph")
    }

    private mutating func addInitializer(_ name: String, _ constant: ONNXConstant, at: Int64) throws(ModelFileError) {
        let id = try tensorID(name, at: at)
        guard graph.initializers[id] == nil else {
            throw cursor.error(.duplicate, at: at, tensor: name, "initializer name appears twice")
        }
        graph.initializers[id] = constant
    }

    private mutating func readNode(end: Int64) throws(ModelFileError) -> ONNXGraph.Node {
        var node = ONNXGraph.Node(name: "", opType: "", domain: "", inputs: [], outputs: [], attributes: [], hasSubgraph: false)
        while cursor.offset < end {
            let at = cursor.offset
            let key = try cursor.readKey()
            switch key.field {
            case 1, 2:
                let what = key.field == 1 ? "node input" : "node output"
                let name = try string(key, at: at, end: end, what: what)
                guard node.inputs.count + node.outputs.count < ONNXGraphReader.maximumNodeArguments else {
                    throw cursor.error(.lengthTooLarge, at: at, "a node lists more than \(ONNXGraphReader.maximumNodeArguments) inputs and outputs")
                }
                let id = name.isEmpty ? -1 : try tensorID(name, at: at)
                if key.field == 1 { node.inputs.append(id) } else { node.outputs.append(id) }
            case 3:
                node.name = try string(key, at: at, end: end, what: "node name")
                try count(node.name.utf8.count, at: at)
            case 4: node.opType = try string(key, at: at, end: end, what: "op_type")
            case 7: node.domain = try string(key, at: at, end: end, what: "node domain")
            case 5:
                let attributeEnd = try messageEnd(key, at: at, end: end, what: "attribute")
                guard node.attributes.count < ONNXGraphReader.maximumAttributes else {
                    throw cursor.error(.lengthTooLarge, at: at, "a node carries more than \(ONNXGraphReader.maximumAttributes) attributes")
                }
                let attribute = try readAttribute(end: attributeEnd)
                attributeValues += attribute.ints.count + attribute.floats.count
                guard attributeValues <= ONNXGraphReader.maximumAttributeValues else {
                    throw cursor.error(.lengthTooLarge, at: at, "the graph's attributes hold more than \(ONNXGraphReader.maximumAttributeValues) values")
                }
                if attribute.holdsGraph || attribute.type == 5 || attribute.type == 10 { node.hasSubgraph = true }
                node.attributes.append(attribute)
            default:
                try cursor.skipValue(key, end: end)
            }
        }
        try finish(end, "node")
        guard !node.opType.isEmpty else {
            throw cursor.error(.badField, at: end, "node #\(graph.nodes.count) has no op_type")
        }
        return node
    }

    /// An `OperatorSetIdProto`: domain (1) and version (2).
    private mutating func readOpset(end: Int64) throws(ModelFileError) {
        var domain = "", version: Int64 = 0
        while cursor.offset < end {
            let at = cursor.offset
            let key = try cursor.readKey()
            switch key.field {
            case 1: domain = try string(key, at: at, end: end, what: "opset domain")
            case 2: version = try int64(key, at: at, what: "opset version")
            default: try cursor.skipValue(key, end: end)
            }
        }
        try finish(end, "opset_import")
        graph.opsets[domain] = version
    }

    // MARK: Fields

    /// The index of the tensor called `name`, adding it on first sight.
    mutating func tensorID(_ name: String, at: Int64) throws(ModelFileError) -> Int {
        if let id = ids[name] { return id }
        try count(name.utf8.count, at: at)
        let id = graph.tensorNames.count
        graph.tensorNames.append(name)
        ids[name] = id
        return id
    }

    /// Adds `bytes` of kept names to the total, refusing past the limit.
    mutating func count(_ bytes: Int, at: Int64) throws(ModelFileError) {
        nameBytes += bytes + 16
        guard nameBytes <= ONNXGraphReader.maximumNameBytes else {
            throw cursor.error(.lengthTooLarge, at: at, "the graph's names take more than \(ONNXGraphReader.maximumNameBytes >> 20) MiB")
        }
    }

    /// Checks that `key` is length-delimited and returns where its message ends.
    mutating func messageEnd(_ key: ProtobufKey, at: Int64, end: Int64, what: String) throws(ModelFileError) -> Int64 {
        try expect(key, .lengthDelimited, at: at, what)
        let length = try cursor.readLength(end: end, what: what)
        return cursor.offset + length
    }

    mutating func string(_ key: ProtobufKey, at: Int64, end: Int64, what: String) throws(ModelFileError) -> String {
        try expect(key, .lengthDelimited, at: at, what)
        return try cursor.readProtobufString(end: end, limit: ONNXReader.maximumNameLength, what: what)
    }

    mutating func int64(_ key: ProtobufKey, at: Int64, what: String) throws(ModelFileError) -> Int64 {
        try expect(key, .varint, at: at, what)
        return Int64(bitPattern: try cursor.readVarint())
    }

    func expect(_ key: ProtobufKey, _ wireType: ProtobufKey.WireType, at: Int64, _ what: String) throws(ModelFileError) {
        guard key.wireType == wireType else {
            throw cursor.error(.badField, at: at, "\(what) (field \(key.field)) has wire type \(key.wireType), expected \(wireType)")
        }
    }

    /// Checks that a message's fields ended exactly at its end.
    func finish(_ end: Int64, _ what: String) throws(ModelFileError) {
        guard cursor.offset == end else {
            throw cursor.error(.lengthPastEnd, "a field runs past the end of the \(what) message (which ends at byte \(end))")
        }
    }
}
