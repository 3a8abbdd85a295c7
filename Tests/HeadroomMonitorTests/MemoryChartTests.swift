@testable import HeadroomMonitor
import Testing

/// The chart is checked by reading its SVG back: the panels, their axis
/// labels and each line's points, with the line's name taken from its legend.
@Suite("MemoryChart")
struct MemoryChartTests {
    static let gib: Int64 = 1 << 30
    static let mib: Int64 = 1 << 20
    /// How far a point may be from its value, in pixels: the SVG writes coordinates to 0.1 px,
    /// and a value read back off the axis rounds three of them (the point's and two ticks').
    static let pixels = 0.25

    /// A sample with the tree's processes at `rss` MiB each and the host's figures in GiB.
    static func sample(_ time: Double, total: Int64 = 16, available: Int64, rss: [Int64], gpus: [GPUSample] = [])
        -> MemorySample {
        MemorySample(time: time, hostTotal: .gibibytes(total), hostAvailable: .gibibytes(available),
                     processes: rss.enumerated().map { offset, mib in
                         ProcessSample(pid: Int32(100 + offset), parentPID: offset == 0 ? nil : 100, name: "p\(offset)",
                                       rss: .mebibytes(mib))
                     },
                     gpus: gpus)
    }

    static func gpu(_ index: Int, total: Int64, used: Int64, tree: Int64) -> GPUSample {
        GPUSample(index: index, name: "GPU \(index)", total: .gibibytes(total), used: .gibibytes(used),
                  treeUsed: .gibibytes(tree))
    }

    static func chart(_ samples: [MemorySample], title: String = "run") throws -> ParsedChart {
        var chart = MemoryChart()
        for sample in samples { chart.add(sample) }
        return try ParsedChart(chart.svg(title: title))
    }

    // Three samples: RAM in use 4 → 6 → 10 GiB of 16, the tree 256 → 512 → 384 MiB over two processes.
    static let threeSamples = [
        sample(0, available: 12, rss: [200, 56]),
        sample(5, available: 10, rss: [400, 112]),
        sample(10, available: 6, rss: [300, 84]),
    ]

    @Test("two panels and four lines without GPUs, each with one point per sample")
    func seriesWithoutGPU() throws {
        let chart = try Self.chart(Self.threeSamples, title: "train <1> & \"2\"")
        #expect(chart.title == "train <1> & \"2\"")
        #expect(chart.height == 30 + 2 * MemoryChart.panelStride)
        #expect(chart.panels.map(\.title) == ["RAM: host or container", "Watched process tree"])
        #expect(chart.panels[0].series.map(\.label) == ["limit", "in use", "watched tree (RSS)"])
        #expect(chart.panels[1].series.map(\.label) == ["RSS, all processes"])
        #expect(chart.panels[0].series.map(\.dash) == ["6 4", nil, nil])
        for series in chart.panels.flatMap(\.series) {
            #expect(series.points.count == 3, "\(series.label)")
        }
        #expect(!chart.text.contains("GPU") && !chart.text.contains("VRAM"))
    }

    @Test("later samples lie further right; the first at the left edge, the last at the right")
    func timeMapsToX() throws {
        let chart = try Self.chart(Self.threeSamples)
        for panel in chart.panels {
            for series in panel.series {
                let xs = series.points.map(\.x)
                #expect(zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 }, "\(series.label): \(xs)")
                #expect(abs(xs[0] - panel.left) < 0.06)
                #expect(abs(xs[1] - (panel.left + panel.right) / 2) < 0.06)
                #expect(abs(xs[2] - panel.right) < 0.06)
            }
        }
    }

    @Test("more bytes lie higher, and every point reads back as its sample's figure on the axis")
    func bytesMapToY() throws {
        let chart = try Self.chart(Self.threeSamples)
        let ram = chart.panels[0]
        let inUse = try #require(ram.series(labelled: "in use"))
        // 4, 6, 10 GiB: rising, so y falls.
        #expect(inUse.points[0].y > inUse.points[1].y && inUse.points[1].y > inUse.points[2].y)
        let tree = try #require(chart.panels[1].series(labelled: "RSS, all processes"))
        // 256, 512, 384 MiB: the middle point is highest, the last between.
        #expect(tree.points[1].y < tree.points[2].y && tree.points[2].y < tree.points[0].y)

        let expected: [(ParsedChart.Panel, String, [Int64])] = [
            (ram, "limit", [16 * Self.gib, 16 * Self.gib, 16 * Self.gib]),
            (ram, "in use", [4 * Self.gib, 6 * Self.gib, 10 * Self.gib]),
            (ram, "watched tree (RSS)", [256 * Self.mib, 512 * Self.mib, 384 * Self.mib]),
            (chart.panels[1], "RSS, all processes", [256 * Self.mib, 512 * Self.mib, 384 * Self.mib]),
        ]
        for (panel, label, bytes) in expected {
            let series = try #require(panel.series(labelled: label))
            let tolerance = try panel.bytesPerPixel() * Self.pixels
            for (point, value) in zip(series.points, bytes) {
                let read = try panel.bytes(atY: point.y)
                #expect(abs(read - Double(value)) <= tolerance, "\(label): read \(read), sample \(value)")
                // Inside the panel, never above its top.
                #expect(point.y >= panel.top && point.y <= panel.bottom)
            }
        }
    }

    @Test("axis labels carry the unit that suits each panel's range, from 0 up past the largest value")
    func axisUnits() throws {
        let chart = try Self.chart(Self.threeSamples)
        let ram = chart.panels[0]
        // 16 GiB × 1.05 in steps of 5 GiB.
        #expect(ram.yTicks.map(\.label) == ["0 GiB", "5 GiB", "10 GiB", "15 GiB", "20 GiB"])
        // 512 MiB × 1.05 = 537.6 MiB in steps of 200 MiB.
        #expect(chart.panels[1].yTicks.map(\.label) == ["0 MiB", "200 MiB", "400 MiB", "600 MiB"])
        for panel in chart.panels {
            let ys = panel.yTicks.map(\.y)
            #expect(zip(ys, ys.dropFirst()).allSatisfy { $0 > $1 }, "ticks rise up the axis")
            // A 10 s run: ticks every 2 s, in seconds.
            #expect(panel.xTicks.map(\.label) == ["0 s", "2 s", "4 s", "6 s", "8 s", "10 s"])
        }
    }

    @Test("a run over a minute labels its time axis in minutes and seconds")
    func minuteTimeAxis() throws {
        let chart = try Self.chart([Self.sample(0, available: 8, rss: [100]), Self.sample(300, available: 8, rss: [100])])
        #expect(chart.panels[0].xTicks.map(\.label) == ["00:00", "01:00", "02:00", "03:00", "04:00", "05:00"])
    }

    @Test("one sample: every line is one point at the left edge")
    func oneSample() throws {
        let chart = try Self.chart([Self.sample(0, available: 12, rss: [512])])
        #expect(chart.panels.count == 2)
        #expect(chart.panels.flatMap(\.series).count == 4)
        for panel in chart.panels {
            for series in panel.series {
                #expect(series.points.count == 1)
                #expect(abs(series.points[0].x - panel.left) < 0.06)
            }
        }
        let tree = try #require(chart.panels[1].series.first)
        let read = try chart.panels[1].bytes(atY: tree.points[0].y)
        let tolerance = try chart.panels[1].bytesPerPixel() * Self.pixels
        #expect(abs(read - Double(512 * Self.mib)) <= tolerance, "read \(read)")
    }

    @Test("all zeros: a finite chart with every point on the zero line, in bytes")
    func allZeros() throws {
        let chart = try Self.chart([Self.sample(0, total: 0, available: 0, rss: [0]),
                                    Self.sample(2, total: 0, available: 0, rss: [0, 0])])
        #expect(!chart.text.lowercased().contains("nan") && !chart.text.lowercased().contains("inf"))
        for panel in chart.panels {
            #expect(panel.yTicks.first?.label == "0 B")
            #expect(panel.yTicks.allSatisfy { $0.label.hasSuffix(" B") })
            for series in panel.series {
                #expect(series.points.count == 2)
                #expect(series.points.allSatisfy { abs($0.y - panel.bottom) < 0.06 }, "\(series.label)")
            }
        }
    }

    @Test("samples after the tree has gone are left out")
    func emptyTreeSkipped() throws {
        let chart = try Self.chart(Self.threeSamples + [Self.sample(20, available: 14, rss: [])])
        #expect(chart.panels.flatMap(\.series).allSatisfy { $0.points.count == 3 })
        // The time axis still ends at the last sample drawn.
        #expect(chart.panels[0].xTicks.last?.label == "10 s")
    }

    @Test("GPUs add a VRAM panel with each GPU's total, use and the tree's share")
    func gpuPanel() throws {
        let samples = [
            Self.sample(0, available: 12, rss: [100], gpus: [Self.gpu(0, total: 80, used: 10, tree: 8),
                                                             Self.gpu(1, total: 80, used: 20, tree: 0)]),
            Self.sample(4, available: 12, rss: [100], gpus: [Self.gpu(0, total: 80, used: 40, tree: 38),
                                                             Self.gpu(1, total: 80, used: 30, tree: 0)]),
        ]
        let chart = try Self.chart(samples)
        #expect(chart.height == 30 + 3 * MemoryChart.panelStride)
        #expect(chart.panels.map(\.title) == ["RAM: host or container", "Watched process tree", "VRAM"])
        let vram = chart.panels[2]
        #expect(vram.series.map(\.label) == ["GPU0 total", "GPU0 in use", "GPU0 watched tree",
                                             "GPU1 total", "GPU1 in use", "GPU1 watched tree"])
        #expect(vram.series.map(\.dash) == ["6 4", nil, "2 3", "6 4", nil, "2 3"])
        // 80 GiB × 1.05 = 84 GiB in steps of 20 GiB.
        #expect(vram.yTicks.map(\.label) == ["0 GiB", "20 GiB", "40 GiB", "60 GiB", "80 GiB", "100 GiB"])
        let expected: [String: [Int64]] = [
            "GPU0 total": [80, 80], "GPU0 in use": [10, 40], "GPU0 watched tree": [8, 38],
            "GPU1 total": [80, 80], "GPU1 in use": [20, 30], "GPU1 watched tree": [0, 0],
        ]
        let tolerance = try vram.bytesPerPixel() * Self.pixels
        for series in vram.series {
            let values = try #require(expected[series.label])
            #expect(series.points.count == 2)
            #expect(series.points[0].x < series.points[1].x)
            for (point, gib) in zip(series.points, values) {
                let read = try vram.bytes(atY: point.y)
                #expect(abs(read - Double(gib * Self.gib)) <= tolerance, "\(series.label): read \(read)")
            }
        }
        let inUse = try #require(vram.series(labelled: "GPU0 in use"))
        #expect(inUse.points[1].y < inUse.points[0].y, "more VRAM in use lies higher")
    }

    @Test("a GPU seen in only some samples gets only those points")
    func gpuInSomeSamples() throws {
        let samples = [
            Self.sample(0, available: 12, rss: [100]),
            Self.sample(1, available: 12, rss: [100], gpus: [Self.gpu(3, total: 24, used: 4, tree: 2)]),
            Self.sample(2, available: 12, rss: [100], gpus: [Self.gpu(3, total: 24, used: 6, tree: 3)]),
        ]
        let chart = try Self.chart(samples)
        #expect(chart.panels.count == 3)
        #expect(chart.panels[2].series.map(\.label) == ["GPU3 total", "GPU3 in use", "GPU3 watched tree"])
        #expect(chart.panels[2].series.allSatisfy { $0.points.count == 2 })
        #expect(chart.panels[0].series.allSatisfy { $0.points.count == 3 })
    }

    @Test("a long run is thinned to at most pointLimit points per line, still in time order")
    func thinning() throws {
        let samples = (0..<5_000).map { (second: Int) -> MemorySample in
            let wobble = Int64(second % 50)
            return Self.sample(Double(second), available: 12 - wobble % 4, rss: [100 + wobble])
        }
        let chart = try Self.chart(samples)
        for series in chart.panels.flatMap(\.series) {
            #expect(series.points.count <= MemoryChart.pointLimit)
            #expect(series.points.count >= MemoryChart.pointLimit / 4)
            let xs = series.points.map(\.x)
            #expect(zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 })
        }
    }
}

/// What the tests read back from the chart's SVG: panels in document order,
/// each with its title, tick labels and lines (named by the legend entry that
/// follows each line).
struct ParsedChart {
    struct Point { var x: Double; var y: Double }

    struct Series {
        var label: String
        var points: [Point]
        var dash: String?
    }

    /// A tick's label and where it marks: for the y axis, the height of its grid line.
    struct Tick { var label: String; var x: Double; var y: Double }

    struct Panel {
        var title = ""
        var left: Double
        var top: Double
        var right: Double
        var bottom: Double
        var yTicks: [Tick] = []
        var xTicks: [Tick] = []
        var series: [Series] = []

        func series(labelled label: String) -> Series? { series.first { $0.label == label } }

        static let units: [String: Double] = ["B": 1, "KiB": 0x1p10, "MiB": 0x1p20, "GiB": 0x1p30, "TiB": 0x1p40]

        /// A tick's value in bytes: `20 GiB`, `0.5 B`.
        static func bytes(_ label: String) throws -> Double {
            let parts = label.split(separator: " ")
            guard parts.count == 2, let number = Double(parts[0]), let unit = units[String(parts[1])] else {
                throw ParseError("tick label \(label)")
            }
            return number * unit
        }

        /// Reads a y coordinate back as bytes, from the zero tick and the top tick.
        func bytes(atY y: Double) throws -> Double {
            guard let zero = yTicks.first, let top = yTicks.last, zero.y != top.y else { throw ParseError("no y axis") }
            let span = try Self.bytes(top.label) - Self.bytes(zero.label)
            return try Self.bytes(zero.label) + (zero.y - y) / (zero.y - top.y) * span
        }

        /// Bytes per pixel on the y axis.
        func bytesPerPixel() throws -> Double {
            guard let zero = yTicks.first, let top = yTicks.last, zero.y != top.y else { throw ParseError("no y axis") }
            let span = try Self.bytes(top.label) - Self.bytes(zero.label)
            return span / (zero.y - top.y)
        }
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    let text: String
    var width = 0.0
    var height = 0.0
    var title = ""
    var panels: [Panel] = []

    init(_ text: String) throws {
        self.text = text
        let elements = try SVGElement.parse(text)
        guard let root = elements.first, root.name == "svg" else { throw ParseError("no <svg> root") }
        width = try root.number("width")
        height = try root.number("height")
        var pendingLine: Series?
        var gridY: Double?
        for element in elements.dropFirst() {
            switch element.name {
            case "rect" where element.attributes["fill"] == "#fbfbfb":
                let x = try element.number("x"), y = try element.number("y")
                let width = try element.number("width"), height = try element.number("height")
                panels.append(Panel(left: x, top: y, right: x + width, bottom: y + height))
            case "line":
                // A grid line spans the panel at one height; the y tick label that follows names it.
                guard let panel = panels.last else { continue }
                let x1 = try element.number("x1"), x2 = try element.number("x2")
                let y1 = try element.number("y1"), y2 = try element.number("y2")
                if x1 == panel.left, x2 == panel.right, y1 == y2 { gridY = y1 }
            case "polyline":
                guard !panels.isEmpty else { throw ParseError("a line outside any panel") }
                let points = try (element.attributes["points"] ?? "").split(separator: " ").map { pair in
                    let xy = pair.split(separator: ",")
                    guard xy.count == 2, let x = Double(xy[0]), let y = Double(xy[1]) else {
                        throw ParseError("point \(pair)")
                    }
                    return Point(x: x, y: y)
                }
                pendingLine = Series(label: "", points: points, dash: element.attributes["stroke-dasharray"])
            case "text":
                let x = try element.number("x"), y = try element.number("y")
                let anchor = element.attributes["text-anchor"]
                guard var panel = panels.popLast() else {
                    if element.attributes["font-weight"] == "bold" { title = element.content }
                    continue
                }
                if element.attributes["font-weight"] == "bold" {
                    panel.title = element.content
                } else if anchor == "end" {
                    guard let line = gridY, abs(line - y) < 8 else {
                        throw ParseError("y tick \(element.content) is not next to a grid line")
                    }
                    panel.yTicks.append(Tick(label: element.content, x: x, y: line))
                    gridY = nil
                } else if anchor == "middle" {
                    panel.xTicks.append(Tick(label: element.content, x: x, y: y))
                } else if anchor == "start", var line = pendingLine {
                    line.label = element.content
                    panel.series.append(line)
                    pendingLine = nil
                }
                panels.append(panel)
            default:
                continue
            }
        }
        if pendingLine != nil { throw ParseError("a line without a legend entry") }
    }
}

/// One element of an SVG document: its name, attributes and (for `<text>`) its content.
struct SVGElement {
    var name: String
    var attributes: [String: String]
    var content = ""

    func number(_ attribute: String) throws -> Double {
        guard let text = attributes[attribute], let value = Double(text) else {
            throw ParsedChart.ParseError("\(name) has no numeric \(attribute)")
        }
        return value
    }

    static func unescape(_ text: Substring) -> String {
        String(text).replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
            .replacing("&amp;", with: "&")
    }

    /// Every start tag in document order; closing tags are skipped, `<text>` gets its content.
    static func parse(_ document: String) throws -> [SVGElement] {
        var elements: [SVGElement] = []
        var rest = Substring(document)
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            if rest.first == "/" {
                guard let close = rest.firstIndex(of: ">") else { throw ParsedChart.ParseError("unclosed end tag") }
                rest = rest[rest.index(after: close)...]
                continue
            }
            let nameEnd = rest.firstIndex { $0 == " " || $0 == ">" || $0 == "/" } ?? rest.endIndex
            var element = SVGElement(name: String(rest[..<nameEnd]), attributes: [:])
            rest = rest[nameEnd...]
            // Attributes: name="value" pairs up to > or />.
            while true {
                rest = rest.drop { $0 == " " || $0 == "\n" }
                guard let first = rest.first else { throw ParsedChart.ParseError("unclosed <\(element.name)>") }
                if first == ">" || rest.hasPrefix("/>") { break }
                guard let equals = rest.firstIndex(of: "="), rest[rest.index(after: equals)] == "\"" else {
                    throw ParsedChart.ParseError("bad attribute in <\(element.name)>")
                }
                let name = String(rest[..<equals])
                let valueStart = rest.index(equals, offsetBy: 2)
                guard let valueEnd = rest[valueStart...].firstIndex(of: "\"") else {
                    throw ParsedChart.ParseError("unterminated \(name)")
                }
                guard element.attributes[name] == nil else { throw ParsedChart.ParseError("duplicate \(name)") }
                element.attributes[name] = unescape(rest[valueStart..<valueEnd])
                rest = rest[rest.index(after: valueEnd)...]
            }
            let selfClosing = rest.hasPrefix("/>")
            rest = rest.dropFirst(selfClosing ? 2 : 1)
            if element.name == "text" {
                guard !selfClosing, let end = rest.firstRange(of: "</text>") else {
                    throw ParsedChart.ParseError("unclosed <text>")
                }
                let content = rest[..<end.lowerBound]
                guard !content.contains("<"), !content.contains(">") else {
                    throw ParsedChart.ParseError("unescaped markup in text: \(content)")
                }
                element.content = unescape(content)
                rest = rest[end.upperBound...]
            }
            elements.append(element)
        }
        return elements
    }
}
