@testable import HeadroomProbe
import HeadroomTestKit
import Testing

@Suite("Field parsing")
struct FieldParsingTests {
    @Test("kB fields are bytes, unitless fields as they are, missing keys nil, in the order asked")
    func fields() {
        let text = "MemTotal:       16384 kB\nPPid:\t42\nName:\tpython3\nVmRSS:\t  100 kB\nHugePages_Total:    0\n"
        #expect(text.kilobyteFields(["VmRSS", "PPid", "MemTotal", "Swap", "Name", "HugePages_Total"])
                == [102_400, 42, 16_777_216, nil, nil, 0])
        // A key is the whole name before the colon, not a prefix of it.
        #expect("MemTotalX: 5 kB\nMemTotal: 7 kB\n".kilobyteFields(["MemTotal"]) == [7168])
        // Numbers past Int64 stay at its maximum instead of wrapping.
        #expect("Pss: 99999999999999999999999 kB\n".kilobyteFields(["Pss"]) == [Int64.max])
    }

    @Test("for generated files, every field written is read back", arguments: [1, 2, 3])
    func generated(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<300 {
            let count = Int.random(in: 1...40, using: &random)
            var keys: [String] = []
            var values: [Int64] = []
            var text = ""
            for index in 0..<count {
                let key = "Key\(index)_" + String(Int.random(in: 0...999, using: &random))
                let value = Int64.random(in: 0...(1 << 40), using: &random)
                let isKB = Bool.random(using: &random)
                let padding = String(repeating: Bool.random(using: &random) ? " " : "\t", count: Int.random(in: 1...8, using: &random))
                text += "\(key):\(padding)\(value)\(isKB ? " kB" : "")\n"
                keys.append(key)
                values.append(isKB ? value * 1024 : value)
            }
            let order = keys.indices.shuffled(using: &random)
            #expect(text.kilobyteFields(order.map { keys[$0] }) == order.map { Optional(values[$0]) })
        }
    }
}
