extension ONNXDataType {
    static let float: UInt64 = 1
    static let uint8: UInt64 = 2
    static let int32: UInt64 = 6
    static let int64: UInt64 = 7
    static let bool: UInt64 = 9
    static let double: UInt64 = 11
    /// Bytes counted per string element: the size of a `std::string` in ONNX Runtime.
    static let stringElementBytes: Int64 = 32

    /// Whether elements of `type` are floating-point numbers (or complex ones).
    static func isFloatingPoint(_ type: UInt64) -> Bool {
        [1, 10, 11, 14, 15, 16, 17, 18, 19, 20, 23, 24].contains(type)
    }

    /// The range of whole numbers `type` holds, for integer types (booleans as 0...1).
    static func integerRange(_ type: UInt64) -> ClosedRange<Int64>? {
        switch type {
        case 2: 0...255
        case 3: -128...127
        case 4: 0...65535
        case 5: -32768...32767
        case 6: Int64(Int32.min)...Int64(Int32.max)
        case 7, 13: Int64.min...Int64.max
        case 9: 0...1
        case 12: 0...Int64(UInt32.max)
        case 21: 0...15
        case 22: -8...7
        case 25: 0...3
        case 26: -2...1
        default: nil
        }
    }

    /// The bytes `elements` elements of `type` take in memory; `nil` for an unknown type or on overflow.
    static func byteCount(elements: Int64, type: UInt64) -> Int64? {
        if type == string { return elements.multipliedReportingOverflow(by: stringElementBytes).overflow ? nil : elements * stringElementBytes }
        guard let element = elementType(type) else { return nil }
        let blocks = elements / element.blockSize + (elements % element.blockSize == 0 ? 0 : 1)
        let (bytes, overflow) = blocks.multipliedReportingOverflow(by: element.blockBytes)
        return overflow ? nil : bytes
    }

    /// `values` as a cast to `type` leaves them; `nil` where a value does not fit the type.
    static func convert(_ values: ONNXValues, to type: UInt64) -> ONNXValues? {
        if isFloatingPoint(type) { return .floats(values.doubles) }
        guard let range = integerRange(type) else { return nil }
        var result: [Int64] = []
        for index in 0..<values.count {
            var whole: Int64
            switch values[element: index] {
            case .int(let value): whole = value
            case .float(let value):
                if type == bool { whole = value != 0 ? 1 : 0 } else {
                    guard let truncated = ONNXValues.truncated(value) else { return nil }
                    whole = truncated
                }
            }
            if type == bool { whole = whole != 0 ? 1 : 0 }
            guard range.contains(whole) else { return nil }
            result.append(whole)
        }
        return .ints(result)
    }
}
