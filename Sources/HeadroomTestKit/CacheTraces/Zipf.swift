import Foundation

/// Draws ranks 0..<n with probability ∝ 1/(rank+1)^α.
public struct Zipf: Sendable {
    let cdf: [Double]

    public init(n: Int, alpha: Double) {
        var sum = 0.0
        var cdf = [Double](repeating: 0, count: n)
        for i in 0..<n {
            sum += 1 / pow(Double(i + 1), alpha)
            cdf[i] = sum
        }
        self.cdf = cdf.map { $0 / sum }
    }

    public func next(using random: inout some RandomNumberGenerator) -> Int {
        let u = Double.random(in: 0..<1, using: &random)
        var low = 0
        var high = cdf.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cdf[mid] < u { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
