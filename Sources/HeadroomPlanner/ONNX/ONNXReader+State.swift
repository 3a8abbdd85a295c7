extension ONNXReader {
    /// The initializers read so far, and the external files already measured.
    struct ReadState {
        var directory: String?
        var tensors: [TensorInfo] = []
        var names: Set<String> = []
        var inlineBytes: Int64 = 0
        var externalBytes: Int64 = 0
        var externalFiles: [String] = []
        var externalSizes: [String: Int64] = [:]

        init(directory: String?) {
            self.directory = directory
        }

        /// Checks one initializer against its shape and its data, and adds it.
        mutating func add(_ fields: TensorFields, at: Int64, cursor: FileCursor) throws(ModelFileError) {
            let name = fields.name
            func fail(_ rule: ModelFileError.Rule, _ message: String) -> ModelFileError {
                cursor.error(rule, at: at, tensor: name, message)
            }
            guard names.insert(name).inserted else { throw fail(.duplicate, "initializer name appears twice") }
            guard let type = ONNXDataType.elementType(fields.dataType) else {
                throw fail(.unknownType, "unknown ONNX data_type \(fields.dataType)")
            }
            guard let elements = elementCount(fields.dims) else {
                throw fail(.badShape, "dims \(fields.dims) are negative or overflow 64 bits when multiplied out")
            }
            var bytes: Int64
            if fields.dataType == ONNXDataType.string {
                bytes = fields.rawDataLength ?? fields.stringBytes
            } else {
                // Sub-byte types are packed with the last byte padded.
                let blocks = elements / type.blockSize + (elements % type.blockSize == 0 ? 0 : 1)
                let (product, overflow) = blocks.multipliedReportingOverflow(by: type.blockBytes)
                guard !overflow else { throw fail(.badShape, "\(elements) elements of \(type.name) overflow 64 bits of bytes") }
                bytes = product
            }
            if fields.isExternal || !fields.external.isEmpty {
                try checkExternal(fields, bytes: &bytes, fail: fail)
                externalBytes = externalBytes.addingSaturating(bytes)
            } else {
                if let raw = fields.rawDataLength, fields.dataType != ONNXDataType.string, raw != bytes {
                    throw fail(.sizeMismatch, "raw_data is \(raw) bytes but \(elements) × \(type.name) is \(bytes)")
                }
                inlineBytes = inlineBytes.addingSaturating(bytes)
            }
            tensors.append(TensorInfo(name: name, type: type, shape: fields.dims, elementCount: elements, byteCount: bytes))
        }

        /// Checks `location`, `offset` and `length` against the external file's size.
        private mutating func checkExternal(_ fields: TensorFields, bytes: inout Int64,
                                            fail: (ModelFileError.Rule, String) -> ModelFileError) throws(ModelFileError) {
            guard let location = fields.external["location"], !location.isEmpty else {
                throw fail(.badField, "external data without a 'location'")
            }
            guard let directory, !location.hasPrefix("/"), !location.split(separator: "/").contains("..") else {
                throw fail(.badField, "external data location '\(location)' must be a file beside the model")
            }
            guard let offset = Int64(fields.external["offset"] ?? "0"), offset >= 0 else {
                throw fail(.badField, "external data offset '\(fields.external["offset"] ?? "")' is not a non-negative integer")
            }
            if let text = fields.external["length"] {
                guard let length = Int64(text), length >= 0 else { throw fail(.badField, "external data length '\(text)' is not a non-negative integer") }
                if fields.dataType == ONNXDataType.string { bytes = length }
                guard length == bytes else { throw fail(.sizeMismatch, "external data length is \(length) bytes but the dims and type give \(bytes)") }
            }
            let path = directory + location
            let size: Int64
            if let known = externalSizes[path] {
                size = known
            } else {
                do {
                    size = try ModelFile(path: path).size
                } catch {
                    throw ModelFileError(.missingShard, path: path, tensor: fields.name, "external data file named by the model cannot be opened")
                }
                externalSizes[path] = size
                externalFiles.append(path)
            }
            guard offset.addingSaturating(bytes) <= size else {
                throw ModelFileError(.dataPastEnd, path: path, offset: offset, tensor: fields.name,
                                     "external data runs to byte \(offset.addingSaturating(bytes)) but the file is \(size) bytes")
            }
        }
    }
}
