import HeadroomCache

/// One value of `parameters_json`: a string, an integer, a number or a flag.
struct ParameterValue: Decodable {
    var parameter: ContentKey.Parameter

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if let flag = try? value.decode(Bool.self) {
            parameter = .flag(flag)
        } else if let integer = try? value.decode(Int64.self) {
            parameter = .integer(integer)
        } else if let number = try? value.decode(Double.self) {
            parameter = .number(number)
        } else {
            parameter = .string(try value.decode(String.self))
        }
    }
}

@_cdecl("hr_content_key")
public func hr_content_key(_ bytes: UnsafeRawPointer?, _ length: Int64, _ parametersJSON: UnsafePointer<CChar>?,
                           _ hexOut: UnsafeMutablePointer<CChar>?, _ hash64: UnsafeMutablePointer<UInt64>?) -> Int32 {
    call {
        let hexOut = try required(hexOut, "hex_out")
        let length = try count(length, "length")
        if length > 0, bytes == nil { throw CallError.argument("bytes is NULL with length \(length)") }
        let parameters = try JSONOutput.decode([String: ParameterValue].self, from: string(parametersJSON),
                                               what: "parameters_json") ?? [:]
        let key = ContentKey(bytes: UnsafeRawBufferPointer(start: length > 0 ? bytes : nil, count: length),
                             parameters: parameters.mapValues(\.parameter))
        let hex = Array(key.hex.utf8CString)
        for (index, character) in hex.enumerated() { hexOut[index] = character }
        if let hash64 {
            hash64.pointee = key.digest.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        }
    }
}
