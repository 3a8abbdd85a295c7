import HeadroomPlanner
import Testing

@Suite("JSON parser for headers and configs")
struct JSONParserTests {
    func parse(_ text: String) -> JSONValue? { JSONValue.parse(Array(text.utf8)) }

    @Test("values of every kind, escapes and surrogate pairs")
    func values() {
        let value = parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00", "e": {}, "z": []} "#)
        let object = value?.objectValue
        #expect(object?["a"] == .array([.integer(1), .integer(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null]))
        #expect(object?["s"] == .string("x\"\\/\né😀"))
        #expect(object?["e"] == .object([:]))
        #expect(object?["z"] == .array([]))
        #expect(parse("9223372036854775807") == .integer(.max))
        #expect(parse("18446744073709551616")?.integerValue == nil)
    }

    @Test("malformed JSON is refused", arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"\u{1}\"", "tru", "{}x", "\"\\q\"", "[1 2]"])
    func malformed(text: String) {
        #expect(parse(text) == nil)
    }

    @Test("nesting deeper than the limit is refused without exhausting the stack")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parse(deep) == nil)
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(parse(fine) != nil)
    }
}
