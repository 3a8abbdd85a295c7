/// The element types a safetensors header may name, as the reference reader spells them.
enum SafetensorsDType {
    /// Bits per element for each dtype the reference reader accepts.
    static let bits: [String: Int64] = [
        "BOOL": 8, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8,
        "I16": 16, "U16": 16, "F16": 16, "BF16": 16,
        "I32": 32, "U32": 32, "F32": 32, "C64": 64,
        "F64": 64, "I64": 64, "U64": 64,
        "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6,
    ]

    /// The element type for `name`, or `nil` when the reference reader does not know it.
    static func elementType(_ name: String) -> ElementType? {
        guard let bits = bits[name] else { return nil }
        // Whole bytes per element, or the smallest block of whole bytes (2 × 4 bits, 4 × 6 bits).
        if bits % 8 == 0 { return ElementType(name: name, blockBytes: bits / 8) }
        let elements: Int64 = bits == 4 ? 2 : 4
        return ElementType(name: name, blockSize: elements, blockBytes: elements * bits / 8)
    }
}
