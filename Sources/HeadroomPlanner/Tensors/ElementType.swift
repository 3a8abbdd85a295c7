/// How a tensor's elements are stored: a plain type (one element in `blockBytes`
/// bytes) or a block type that packs `blockSize` elements into `blockBytes` bytes.
///
/// Sub-byte types are blocks too: 4-bit integers are 2 elements in 1 byte.
public struct ElementType: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The name the file format uses: `F16`, `Q4_K`, `FLOAT16`.
    public var name: String
    /// Elements per block; 1 for plain types.
    public var blockSize: Int64
    /// Bytes per block.
    public var blockBytes: Int64

    public init(name: String, blockSize: Int64 = 1, blockBytes: Int64) {
        self.name = name
        self.blockSize = blockSize
        self.blockBytes = blockBytes
    }

    /// Bytes per element, as a fraction (4.5 bits is 0.5625).
    public var bytesPerElement: Double { Double(blockBytes) / Double(blockSize) }

    /// The bytes `elements` take, or `nil` when they are not whole blocks or the product overflows.
    public func byteCount(elements: Int64) -> Int64? {
        guard elements >= 0, blockSize > 0, elements % blockSize == 0 else { return nil }
        let (bytes, overflow) = (elements / blockSize).multipliedReportingOverflow(by: blockBytes)
        return overflow ? nil : bytes
    }

    public var description: String { name }
}

/// The number of elements of a shape, or `nil` when a dimension is negative or the product overflows.
func elementCount<S: Sequence>(_ shape: S) -> Int64? where S.Element == Int64 {
    var count: Int64 = 1
    for dimension in shape {
        guard dimension >= 0 else { return nil }
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        if overflow { return nil }
        count = product
    }
    return count
}
