/// A value that knows how many bytes it holds, so a ``MemoryCache`` can charge
/// it without a cost at each insert.
public protocol MemoryFootprint {
    /// The bytes this value keeps alive (its buffers, not just its inline size).
    var memoryFootprint: Int { get }
}

/// An array's elements, counted at their stride: exact for numbers and other flat
/// elements; elements that own buffers of their own are undercounted.
extension Array: MemoryFootprint {
    public var memoryFootprint: Int { count * MemoryLayout<Element>.stride }
}

/// Counted like `Array`.
extension ContiguousArray: MemoryFootprint {
    public var memoryFootprint: Int { count * MemoryLayout<Element>.stride }
}

extension String: MemoryFootprint {
    public var memoryFootprint: Int { utf8.count }
}
