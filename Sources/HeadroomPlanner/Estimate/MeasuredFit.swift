/// A least-squares line through measured memory: `memory = fixed + perItem × batch`.
public struct MeasuredFit: Sendable, Hashable {
    /// The intercept, at least zero.
    public var fixed: Int64
    /// The slope, at least zero.
    public var perItem: Int64

    /// Fits `points`; they need two different batch sizes.
    /// - Throws: ``MemoryModelError`` with fewer than two distinct batch sizes.
    public init(points: [MeasuredPoint]) throws(MemoryModelError) {
        guard Set(points.map(\.batchSize)).count >= 2 else {
            throw MemoryModelError("--measured needs at least two different batch sizes to fit fixed + per-item × batch")
        }
        let n = Double(points.count)
        let meanB = points.reduce(0) { $0 + Double($1.batchSize) } / n
        let meanM = points.reduce(0) { $0 + $1.memory.doubleValue } / n
        var covariance = 0.0, variance = 0.0
        for point in points {
            let db = Double(point.batchSize) - meanB
            covariance += db * (point.memory.doubleValue - meanM)
            variance += db * db
        }
        let slope = max(0, covariance / variance)
        let intercept = max(0, meanM - slope * meanB)
        perItem = Int64(min(slope.rounded(), 9.2e18))
        fixed = Int64(min(intercept.rounded(), 9.2e18))
        let sorted = points.sorted { ($0.batchSize, $0.memory) < ($1.batchSize, $1.memory) }
        contradiction = zip(sorted, sorted.dropFirst()).first { $0.batchSize < $1.batchSize && $0.memory > $1.memory }
            .map { smaller, larger in
                "--measured points contradict each other: batch \(larger.batchSize) used \(larger.memory), less than batch "
                    + "\(smaller.batchSize)'s \(smaller.memory); memory cannot shrink as the batch grows, so the fitted line "
                    + "(\(ByteCount(fixed)) + \(ByteCount(perItem)) per item) matches neither — measure again"
            }
    }

    /// Why the points cannot all be right (a larger batch measured with less memory), where they contradict each other.
    public private(set) var contradiction: String?
}
