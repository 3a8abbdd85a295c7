/// One tensor as a model file declares it: name, type, shape and bytes, never its data.
public struct TensorInfo: Sendable, Hashable, Codable {
    public var name: String
    public var type: ElementType
    public var shape: [Int64]
    /// The number of elements (the product of the shape).
    public var elementCount: Int64
    /// The bytes the tensor's data takes in the file.
    public var byteCount: Int64

    public init(name: String, type: ElementType, shape: [Int64], elementCount: Int64, byteCount: Int64) {
        self.name = name
        self.type = type
        self.shape = shape
        self.elementCount = elementCount
        self.byteCount = byteCount
    }

    /// The transformer block this tensor belongs to, read from its name
    /// (`model.layers.12.mlp…`, `blk.12.attn_q…`, `h.12.…`); `nil` for embeddings and heads.
    public var layerIndex: Int? {
        let parts = name.split(separator: ".")
        for (position, part) in parts.enumerated() where position + 1 < parts.count {
            if ["layers", "layer", "blk", "h", "blocks", "block"].contains(part), let index = Int(parts[position + 1]) {
                return index
            }
        }
        return nil
    }
}
