import HeadroomProbe
import Testing

@Suite("MemoryPressure")
struct PressureTests {
    @Test("some and full lines")
    func someAndFull() throws {
        let text = "some avg10=12.34 avg60=5.60 avg300=0.78 total=9876543\nfull avg10=1.00 avg60=0.50 avg300=0.01 total=4321\n"
        let pressure = try #require(MemoryPressure(parsing: text))
        #expect(pressure.some.avg10Percent == 12.34)
        #expect(pressure.some.avg60Percent == 5.6)
        #expect(pressure.some.avg300Percent == 0.78)
        #expect(pressure.some.totalMicroseconds == 9_876_543)
        let full = try #require(pressure.full)
        #expect(full.avg10Percent == 1)
        #expect(full.avg60Percent == 0.5)
        #expect(full.avg300Percent == 0.01)
        #expect(full.totalMicroseconds == 4321)
    }

    @Test("a kernel that writes only some")
    func someOnly() throws {
        let pressure = try #require(MemoryPressure(parsing: "some avg10=0.00 avg60=0.00 avg300=0.00 total=0"))
        #expect(pressure.full == nil)
        #expect(pressure.some.totalMicroseconds == 0)
        #expect(pressure.some.avg10Percent == 0)
    }

    @Test("the order of the fields does not matter, and a bad full line is left out")
    func reordered() throws {
        let text = "full avg10=x avg60=0 avg300=0 total=1\nsome total=5 avg300=3.0 avg60=2.0 avg10=1.0\n"
        let pressure = try #require(MemoryPressure(parsing: text))
        #expect(pressure.some.avg10Percent == 1)
        #expect(pressure.some.avg300Percent == 3)
        #expect(pressure.some.totalMicroseconds == 5)
        #expect(pressure.full == nil)
    }

    @Test("no some line: nil", arguments: [
        "",
        "garbage",
        "some avg10=1.0 avg60=2.0 total=3",
        "some avg10=1.0 avg60=2.0 avg300=3.0 total=-3",
        "full avg10=1.00 avg60=0.50 avg300=0.01 total=4321",
        "some=avg10 1.0",
    ])
    func invalid(text: String) {
        #expect(MemoryPressure(parsing: text) == nil)
    }

    @Test("read from /proc/pressure/memory; nil without PSI")
    func read() throws {
        let text = "some avg10=0.25 avg60=0.00 avg300=0.00 total=17\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=3\n"
        try withFakeSystem(["/proc/pressure/memory": text]) { tree in
            let pressure = try #require(MemoryPressure.read(root: tree.root))
            #expect(pressure.some.avg10Percent == 0.25)
            #expect(pressure.full?.totalMicroseconds == 3)
        }
        try withFakeSystem { tree in
            #expect(MemoryPressure.read(root: tree.root) == nil)
        }
    }
}
