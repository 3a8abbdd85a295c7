extension ONNXGraphReader {
    /// A `ValueInfoProto`: name (1) and type (2), whose `tensor_type` (1)
    /// gives elem_type (1) and shape (2); any other type is noted as not a tensor.
    mutating func readValueInfo(end: Int64, at start: Int64) throws(ModelFileError) -> ONNXGraph.ValueInfo {
        var name = ""
        var dataType: UInt64 = 0
        var dimensions: [ONNXGraph.Dimension]?
        var isTensor = false
        while cursor.offset < end {
            let at = cursor.offset
            let key = try cursor.readKey()
            switch key.field {
            case 1: name = try string(key, at: at, end: end, what: "value name")
            case 2:
                let typeEnd = try messageEnd(key, at: at, end: end, what: "value type")
                while cursor.offset < typeEnd {
                    let fieldAt = cursor.offset
                    let field = try cursor.readKey()
                    if field.field == 1 {
                        let tensorEnd = try messageEnd(field, at: fieldAt, end: typeEnd, what: "tensor_type")
                        (dataType, dimensions) = try readTensorType(end: tensorEnd, name: name)
                        isTensor = true
                    } else {
                        try cursor.skipValue(field, end: typeEnd)
                    }
                }
                try finish(typeEnd, "type")
            default:
                try cursor.skipValue(key, end: end)
            }
        }
        try finish(end, "value_info")
        guard !name.isEmpty else { throw cursor.error(.badField, at: start, "a graph input, output or value_info has no name") }
        return ONNXGraph.ValueInfo(name: name, dataType: dataType, dimensions: dimensions, isTensor: isTensor,
                                   id: try tensorID(name, at: start))
    }

    /// A `TypeProto.Tensor`: elem_type (1) and shape (2), the shape's `dim`s (1)
    /// each a dim_value (1) or dim_param (2). A negative value counts as unknown.
    private mutating func readTensorType(end: Int64, name: String) throws(ModelFileError) -> (UInt64, [ONNXGraph.Dimension]?) {
        var dataType: UInt64 = 0
        var dimensions: [ONNXGraph.Dimension]?
        while cursor.offset < end {
            let at = cursor.offset
            let key = try cursor.readKey()
            switch key.field {
            case 1: dataType = UInt64(bitPattern: try int64(key, at: at, what: "elem_type"))
            case 2:
                let shapeEnd = try messageEnd(key, at: at, end: end, what: "shape")
                var dims: [ONNXGraph.Dimension] = []
                while cursor.offset < shapeEnd {
                    let dimAt = cursor.offset
                    let dimKey = try cursor.readKey()
                    guard dimKey.field == 1 else {
                        try cursor.skipValue(dimKey, end: shapeEnd)
                        continue
                    }
                    guard dims.count < ONNXReader.maximumDimensions else {
                        throw cursor.error(.badShape, at: dimAt, tensor: name, "more than \(ONNXReader.maximumDimensions) dimensions")
                    }
                    dims.append(try readDimension(end: try messageEnd(dimKey, at: dimAt, end: shapeEnd, what: "dim")))
                }
                try finish(shapeEnd, "shape")
                dimensions = dims
            default:
                try cursor.skipValue(key, end: end)
            }
        }
        try finish(end, "tensor_type")
        return (dataType, dimensions)
    }

    private mutating func readDimension(end: Int64) throws(ModelFileError) -> ONNXGraph.Dimension {
        var dimension = ONNXGraph.Dimension.unknown
        while cursor.offset < end {
            let at = cursor.offset
            let key = try cursor.readKey()
            switch key.field {
            case 1:
                let value = try int64(key, at: at, what: "dim_value")
                dimension = value >= 0 ? .value(value) : .unknown
            case 2:
                let symbol = try string(key, at: at, end: end, what: "dim_param")
                dimension = symbol.isEmpty ? .unknown : .symbolic(symbol)
            default:
                try cursor.skipValue(key, end: end)
            }
        }
        try finish(end, "dim")
        return dimension
    }
}
