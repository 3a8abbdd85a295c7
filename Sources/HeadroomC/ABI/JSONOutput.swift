import FoundationEssentials
import HeadroomAdvisor

/// JSON in and out of the C interface: compact, keys sorted, the same keys as the command line's `--json`.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String?, what: String) throws -> T? {
        guard let text else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw CallError.argument("\(what) is not the JSON expected: \(error)")
        }
    }

    /// An optimization level by name; `nil` (NULL) is balanced.
    static func level(_ name: String?) throws -> OptimizationLevel {
        guard let name else { return .balanced }
        guard let level = OptimizationLevel(rawValue: name) else {
            throw CallError.argument("level '\(name)' is not one of conservative, balanced, aggressive, extreme")
        }
        return level
    }
}
