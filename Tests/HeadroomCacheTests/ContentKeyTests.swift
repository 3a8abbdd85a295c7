import Testing
@testable import HeadroomCache

@Suite("ContentKey")
struct ContentKeyTests {
    @Test("the digest is the documented SHA-256 encoding, the same in every run")
    func knownDigest() {
        let key = ContentKey(bytes: [1, 2, 3, 4, 5],
                             parameters: ["model": "inswapper_128", "gamma": 1.5, "size": 512, "sharpen": true])
        #expect(key.hex == "f16d593da0315f6267c3291cd160f7158dba14cb76e9948e0c05482e1c1415de")
        #expect(ContentKey(bytes: []).hex == "d29a54c40f33a0673586b61be5717b137795366ad0ed86f4925f97b53532a4e1")
        #expect(key.digest.count == 32)
    }

    @Test("parameter order does not matter; values and types do")
    func parameters() {
        let a = ContentKey(bytes: [9], parameters: ["gamma": 1.2, "model": "x"])
        let b = ContentKey(bytes: [9], parameters: ["model": "x", "gamma": 1.2])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != ContentKey(bytes: [9], parameters: ["gamma": 1.3, "model": "x"]))
        #expect(ContentKey(bytes: [9], parameters: ["n": 1]) != ContentKey(bytes: [9], parameters: ["n": 1.0]))
        #expect(ContentKey(bytes: [9], parameters: ["n": 0.0]) == ContentKey(bytes: [9], parameters: ["n": .number(-0.0)]))
        #expect(ContentKey(bytes: [9]) != ContentKey(bytes: [8]))
        #expect(ContentKey("ab") == ContentKey(bytes: [0x61, 0x62]))
    }
}
