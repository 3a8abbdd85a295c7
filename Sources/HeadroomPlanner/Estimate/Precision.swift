/// The precision weights are re-cast to with `--dtype`.
public enum Precision: String, Sendable, Hashable, Codable, CaseIterable {
    case fp32, fp16, bf16, int8, int4

    /// Bytes per parameter, as a fraction for 4-bit.
    public var bytesPerParameter: Double {
        switch self {
        case .fp32: 4
        case .fp16, .bf16: 2
        case .int8: 1
        case .int4: 0.5
        }
    }

    /// Bytes of activations and KV cache: 4 when computing in fp32, else 2
    /// (8- and 4-bit weights are de-quantized to 16-bit to compute).
    public var computeBytes: Int64 { self == .fp32 ? 4 : 2 }

    /// Whether weights of this precision can be trained with Adam.
    public var isTrainable: Bool { self == .fp32 || self == .fp16 || self == .bf16 }
}
