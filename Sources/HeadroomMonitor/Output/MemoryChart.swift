#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// `--chart run.svg`: RAM and VRAM over time with their limits drawn, as a
/// self-contained SVG a browser shows as it is.
///
/// The RAM panel draws memory in use (the container's, or the host's) against
/// the lower of the host's RAM and the container's limit, and the watched
/// tree's RSS; the VRAM panel (when there are GPUs) draws each GPU's use
/// against its total, and the tree's share of it. Kept to at most
/// ``pointLimit`` points by thinning, so an hour-long run stays small.
public struct MemoryChart: Sendable {
    struct Point: Sendable {
        var time: Double
        var used: Double
        var limit: Double
        var tree: Double
        var gpus: [(index: Int, used: Double, total: Double, tree: Double)]
    }

    private var points: [Point] = []
    private var stride = 1
    private var seen = 0
    static let pointLimit = 2000

    public init() {}

    public mutating func add(_ sample: MemorySample) {
        guard !sample.processes.isEmpty else { return }
        seen += 1
        guard seen % stride == 0 else { return }
        points.append(Point(time: sample.time, used: Double(sample.memoryUsed.bytes),
                            limit: Double(sample.memoryLimit.bytes), tree: Double(sample.treeRSS.bytes),
                            gpus: sample.gpus.map { ($0.index, Double($0.used.bytes), Double($0.total.bytes),
                                                     Double($0.treeUsed.bytes)) }))
        if points.count >= MemoryChart.pointLimit {
            points = points.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            stride *= 2
        }
    }

    static let width = 960.0
    static let panelHeight = 240.0
    static let margin = (left: 80.0, right: 20.0, top: 44.0, bottom: 64.0)
    static var panelStride: Double { panelHeight + margin.top + margin.bottom }

    /// The chart as an SVG document: RAM against its limit, the watched tree on
    /// its own scale, and VRAM against each GPU's total.
    public func svg(title: String) -> String {
        let gpuIndices = Array(Set(points.flatMap { $0.gpus.map(\.index) })).sorted()
        let panels = gpuIndices.isEmpty ? 2 : 3
        var svg = SVG(width: MemoryChart.width, height: 30 + Double(panels) * MemoryChart.panelStride)
        svg.text(MemoryChart.width / 2, 22, title, size: 15, anchor: "middle", weight: "bold")
        let end = max(points.last?.time ?? 1, 1)

        var ram = Panel(top: 30 + MemoryChart.margin.top, end: end,
                        maximum: max(points.map(\.limit).max() ?? 0, points.map(\.used).max() ?? 0, 1),
                        title: "RAM: host or container")
        ram.draw(into: &svg)
        ram.line(into: &svg, points.map { ($0.time, $0.limit) }, color: "#c0392b", label: "limit", dashed: true)
        ram.line(into: &svg, points.map { ($0.time, $0.used) }, color: "#2471a3", label: "in use")
        ram.line(into: &svg, points.map { ($0.time, $0.tree) }, color: "#e67e22", label: "watched tree (RSS)")

        var tree = Panel(top: 30 + MemoryChart.margin.top + MemoryChart.panelStride, end: end,
                         maximum: max(points.map(\.tree).max() ?? 0, 1), title: "Watched process tree")
        tree.draw(into: &svg)
        tree.line(into: &svg, points.map { ($0.time, $0.tree) }, color: "#e67e22", label: "RSS, all processes")

        if !gpuIndices.isEmpty {
            var vram = Panel(top: 30 + MemoryChart.margin.top + 2 * MemoryChart.panelStride, end: end,
                             maximum: max(points.flatMap { $0.gpus.map { max($0.total, $0.used) } }.max() ?? 1, 1),
                             title: "VRAM")
            vram.draw(into: &svg)
            let palette = ["#2471a3", "#27ae60", "#8e44ad", "#16a085", "#d35400", "#7f8c8d"]
            for (position, index) in gpuIndices.enumerated() {
                let color = palette[position % palette.count]
                let series = points.compactMap { point in point.gpus.first { $0.index == index }.map { (point.time, $0) } }
                vram.line(into: &svg, series.map { ($0.0, $0.1.total) }, color: color, label: "GPU\(index) total", dashed: true)
                vram.line(into: &svg, series.map { ($0.0, $0.1.used) }, color: color, label: "GPU\(index) in use")
                vram.line(into: &svg, series.map { ($0.0, $0.1.tree) }, color: "#e67e22", label: "GPU\(index) watched tree",
                          dotted: true)
            }
        }
        return svg.document()
    }
}

/// One panel: axes, grid, ticks and a legend, with lines in data coordinates.
struct Panel {
    let top: Double
    let end: Double
    let scale: Ticks.Scale
    let title: String
    private var legendX: Double

    init(top: Double, end: Double, maximum: Double, title: String) {
        self.top = top
        self.end = end
        self.scale = Ticks.Scale(bytes: maximum * 1.05)
        self.title = title
        legendX = MemoryChart.margin.left
    }

    private var left: Double { MemoryChart.margin.left }
    private var right: Double { MemoryChart.width - MemoryChart.margin.right }
    private var bottom: Double { top + MemoryChart.panelHeight }

    func x(_ time: Double) -> Double { left + (right - left) * time / end }
    func y(_ bytes: Double) -> Double { bottom - MemoryChart.panelHeight * bytes / scale.top }

    func draw(into svg: inout SVG) {
        svg.rect(left, top, right - left, MemoryChart.panelHeight, fill: "#fbfbfb", stroke: "#999")
        svg.text(left, top - 10, title, size: 13, anchor: "start", weight: "bold")
        for value in scale.ticks {
            svg.line(left, y(value), right, y(value), stroke: "#e3e3e3")
            svg.text(left - 6, y(value) + 4, scale.label(value), size: 11, anchor: "end")
        }
        for time in Ticks.times(upTo: end) {
            svg.line(x(time), bottom, x(time), bottom + 4, stroke: "#999")
            svg.text(x(time), bottom + 17, Ticks.timeLabel(time, end: end), size: 11, anchor: "middle")
        }
    }

    /// Draws a line and adds its entry to the legend row under the panel.
    mutating func line(into svg: inout SVG, _ values: [(Double, Double)], color: String, label: String,
                       dashed: Bool = false, dotted: Bool = false) {
        guard !values.isEmpty else { return }
        let dash = dashed ? "6 4" : dotted ? "2 3" : nil
        svg.polyline(values.map { (x($0.0), y($0.1)) }, stroke: color, dash: dash)
        let legendY = bottom + 40
        svg.line(legendX, legendY - 4, legendX + 22, legendY - 4, stroke: color, width: 2, dash: dash)
        svg.text(legendX + 28, legendY, label, size: 11, anchor: "start")
        legendX += 40 + Double(label.count) * 6.5
    }
}

/// Round axis values: steps of 1, 2 or 5 times a power of ten, in the unit
/// (GiB, MiB…) that suits the range; times in seconds or minutes.
enum Ticks {
    /// A byte axis: its unit, step and top.
    struct Scale {
        let unit: String
        let unitBytes: Double
        let step: Double
        let top: Double

        init(bytes maximum: Double) {
            let (unit, unitBytes) = ByteCount(Int64(min(maximum, 9e18))).displayUnit
            self.unit = unit
            self.unitBytes = unitBytes
            let stepUnits = Ticks.step(maximum / unitBytes)
            step = stepUnits * unitBytes
            top = max(step, ceil(maximum / step) * step)
        }

        var ticks: [Double] { Swift.stride(from: 0, through: top + step / 1000, by: step).map { $0 } }

        func label(_ value: Double) -> String {
            let scaled = value / unitBytes
            return (abs(scaled - scaled.rounded()) < 1e-9 ? "\(Int(scaled.rounded()))" : scaled.fixed(1)) + " " + unit
        }
    }

    /// A step of 1, 2 or 5 × 10ⁿ giving about five intervals up to `maximum`.
    static func step(_ maximum: Double) -> Double {
        guard maximum > 0 else { return 1 }
        let rough = maximum / 5
        let power = pow(10, floor(log10(rough)))
        let fraction = rough / power
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power
    }

    /// Time ticks: about six, on round seconds or minutes.
    static func times(upTo end: Double) -> [Double] {
        let steps: [Double] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400]
        let step = steps.first { end / $0 <= 8 } ?? 28800
        return Swift.stride(from: 0, through: end + step / 1000, by: step).map { $0 }
    }

    /// `2.5 s` under a minute's run, else `mm:ss`.
    static func timeLabel(_ time: Double, end: Double) -> String {
        end < 60 ? (time == time.rounded() ? "\(Int(time)) s" : "\(time.fixed(1)) s") : StatusLine.clock(time)
    }
}
