/// A GGUF metadata value. Arrays keep their element type and count, and
/// their contents only when short, so a 150,000-entry vocabulary costs nothing.
public enum GGUFValue: Sendable, Hashable {
    case unsigned(UInt64)
    case signed(Int64)
    case float(Double)
    case bool(Bool)
    case string(String)
    /// Element type number, element count, and the elements when there are at most ``GGUFReader/keptArrayLength``.
    case array(elementType: UInt32, count: UInt64, elements: [GGUFValue]?)

    /// The value as an integer, when it is one that fits.
    public var integerValue: Int64? {
        switch self {
        case .unsigned(let value): value <= UInt64(Int64.max) ? Int64(value) : nil
        case .signed(let value): value
        default: nil
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}

/// The 13 GGUF metadata value types, by the number the file stores.
enum GGUFValueType: UInt32 {
    case uint8 = 0, int8, uint16, int16, uint32, int32, float32, bool, string, array, uint64, int64, float64

    /// Bytes of a fixed-size value; `nil` for strings and arrays.
    var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        case .string, .array: nil
        }
    }

    /// The fewest bytes one value can take (a string's length field, an array's type and count).
    var minimumSize: UInt64 {
        switch self {
        case .string: 8
        case .array: 12
        default: UInt64(fixedSize ?? 1)
        }
    }
}
