/// The numbers that a graph's symbolic input dimensions take for one run.
///
/// An exported model leaves some input dimensions open (`dim_param: "batch"`,
/// or no value at all). Before shapes can be computed, each must be bound:
///
/// - a dimension whose `dim_param` is a key of ``named`` takes that value, first;
/// - dimension 0 of every input takes ``batch``;
/// - dimensions 2 and 3 of a 4-D input (NCHW) take ``height`` and ``width``;
/// - dimension 1 of a 2-D or 3-D input (tokens) takes ``sequence``.
///
/// A symbolic dimension that none of these reach is an ``ONNXGraphError`` of
/// kind `unboundDimension` naming the input and the dimension.
public struct ONNXDimensionBindings: Sendable, Hashable, Codable {
    /// The batch size: dimension 0 of every input that is symbolic there.
    public var batch: Int64
    /// Dimension 2 of a symbolic 4-D input, where given.
    public var height: Int64?
    /// Dimension 3 of a symbolic 4-D input, where given.
    public var width: Int64?
    /// Dimension 1 of a symbolic 2-D or 3-D input, where given.
    public var sequence: Int64?
    /// Values by `dim_param` name; they win over the positional bindings.
    public var named: [String: Int64]

    /// Bindings with `batch` and, optionally, the others.
    public init(batch: Int64, height: Int64? = nil, width: Int64? = nil, sequence: Int64? = nil,
                named: [String: Int64] = [:]) {
        self.batch = batch
        self.height = height
        self.width = width
        self.sequence = sequence
        self.named = named
    }

    /// The value for dimension `index` of a `rank`-D input, named `symbol` where it has a name.
    func value(symbol: String?, index: Int, rank: Int) -> Int64? {
        if let symbol, let value = named[symbol] { return value }
        if index == 0 { return batch }
        if rank == 4, index == 2 { return height }
        if rank == 4, index == 3 { return width }
        if rank == 2 || rank == 3, index == 1 { return sequence }
        return nil
    }
}
