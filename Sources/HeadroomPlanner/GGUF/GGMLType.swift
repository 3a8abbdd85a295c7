/// The tensor types of ggml, by the number a GGUF file stores, with each
/// type's block size and bytes per block.
///
/// The table is ggml's `type_traits` (llama.cpp `ggml/src/ggml.c`, block
/// structs in `ggml-common.h`, QK_K = 256). It agrees with gguf-py's
/// `GGML_QUANT_SIZES` except for Q8_1, where gguf-py says 40 bytes and ggml's
/// `static_assert(sizeof(block_q8_1) == 2*sizeof(ggml_half) + QK8_1)` says 36;
/// ggml defines the file layout, so 36. Numbers 4, 5, 31–33 and 36–38 are
/// types that were removed; a file using them is refused.
public enum GGMLType {
    /// `(name, elements per block, bytes per block)` by type number.
    static let table: [UInt32: (String, Int64, Int64)] = [
        0: ("F32", 1, 4),
        1: ("F16", 1, 2),
        2: ("Q4_0", 32, 18),
        3: ("Q4_1", 32, 20),
        6: ("Q5_0", 32, 22),
        7: ("Q5_1", 32, 24),
        8: ("Q8_0", 32, 34),
        9: ("Q8_1", 32, 36),
        10: ("Q2_K", 256, 84),
        11: ("Q3_K", 256, 110),
        12: ("Q4_K", 256, 144),
        13: ("Q5_K", 256, 176),
        14: ("Q6_K", 256, 210),
        15: ("Q8_K", 256, 292),
        16: ("IQ2_XXS", 256, 66),
        17: ("IQ2_XS", 256, 74),
        18: ("IQ3_XXS", 256, 98),
        19: ("IQ1_S", 256, 50),
        20: ("IQ4_NL", 32, 18),
        21: ("IQ3_S", 256, 110),
        22: ("IQ2_S", 256, 82),
        23: ("IQ4_XS", 256, 136),
        24: ("I8", 1, 1),
        25: ("I16", 1, 2),
        26: ("I32", 1, 4),
        27: ("I64", 1, 8),
        28: ("F64", 1, 8),
        29: ("IQ1_M", 256, 56),
        30: ("BF16", 1, 2),
        34: ("TQ1_0", 256, 54),
        35: ("TQ2_0", 256, 66),
        39: ("MXFP4", 32, 17),
        40: ("NVFP4", 64, 36),
        41: ("Q1_0", 128, 18),
    ]

    /// The element type numbered `number`, or `nil` for an unknown or removed type.
    public static func elementType(_ number: UInt32) -> ElementType? {
        table[number].map { ElementType(name: $0.0, blockSize: $0.1, blockBytes: $0.2) }
    }

    /// The number of the type named `name` (`Q4_K`), for writing test fixtures.
    public static func number(named name: String) -> UInt32? {
        table.first { $0.value.0 == name }?.key
    }
}
