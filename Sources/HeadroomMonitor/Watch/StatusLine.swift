/// The one-line status `headroom watch` shows while a command runs:
/// `RAM 5.2/16.0 GiB · tree 3.1 GiB · GPU0 11.8/80.0 GiB · pressure 0.4% · 00:42`.
public enum StatusLine {
    public static func format(_ sample: MemorySample) -> String {
        var parts = ["RAM \(pair(sample.memoryUsed, sample.memoryLimit))", "tree \(sample.treeRSS)"]
        for gpu in sample.gpus {
            parts.append("GPU\(gpu.index) \(pair(gpu.used, gpu.total))")
        }
        if let pressure = sample.pressurePercent { parts.append("pressure \(pressure.fixed(1))%") }
        parts.append(clock(sample.time))
        return parts.joined(separator: " · ")
    }

    /// `5.2/16.0 GiB`: both in the larger figure's unit.
    static func pair(_ used: ByteCount, _ total: ByteCount) -> String {
        let unit = total.displayUnit
        return "\((Double(used.bytes) / unit.bytes).fixed(1))/\((Double(total.bytes) / unit.bytes).fixed(1)) \(unit.name)"
    }

    /// `00:42`, `12:03`, `1:02:03`.
    public static func clock(_ seconds: Double) -> String {
        let whole = Int(max(0, seconds))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(two(minutes)):\(two(secs))"
    }
}
