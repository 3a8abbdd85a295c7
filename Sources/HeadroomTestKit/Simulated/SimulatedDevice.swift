import HeadroomBatching
import HeadroomCore
import Synchronization

/// A pretend accelerator with a memory budget and a clock, for testing and
/// benchmarking batchers without a GPU.
///
/// A batch of `n` items needs `fixed + n × perItem` bytes (times `1 + noise`
/// drawn per batch), plus whatever a competing process holds at that moment.
/// If that is more than `capacity` the batch throws ``SimulatedOutOfMemory``
/// (an `OutOfMemoryError`) after spending `failureSeconds`; otherwise it takes
/// `overheadSeconds + n × secondsPerItem` on the simulated clock, so larger
/// batches are faster per item until they stop fitting.
public final class SimulatedDevice: Sendable {
    /// Memory a competing process holds from `start` to `end` (simulated seconds).
    public struct Hold: Sendable, Hashable {
        public var start: Double
        public var end: Double
        public var bytes: ByteCount

        public init(from start: Double, to end: Double, bytes: ByteCount) {
            self.start = start
            self.end = end
            self.bytes = bytes
        }
    }

    public struct Configuration: Sendable {
        public var capacity: ByteCount
        public var fixed: ByteCount
        public var perItem: ByteCount
        /// The largest random extra, as a share of the batch's need (0.05 is up to 5% more).
        public var noise: Double
        public var overheadSeconds: Double
        public var secondsPerItem: Double
        /// Time lost by a batch that runs out of memory.
        public var failureSeconds: Double
        /// What a competing process holds, and when.
        public var competitor: [Hold]
        public var seed: UInt64

        public init(capacity: ByteCount, fixed: ByteCount = .zero, perItem: ByteCount, noise: Double = 0,
                    overheadSeconds: Double = 0.05, secondsPerItem: Double = 0.001, failureSeconds: Double = 0.02,
                    competitor: [Hold] = [], seed: UInt64 = 1) {
            self.capacity = capacity
            self.fixed = fixed
            self.perItem = perItem
            self.noise = noise
            self.overheadSeconds = overheadSeconds
            self.secondsPerItem = secondsPerItem
            self.failureSeconds = failureSeconds
            self.competitor = competitor
            self.seed = seed
        }
    }

    public let configuration: Configuration

    private struct State {
        var clock: Double = 0
        var random: SeededGenerator
        var batches = 0
        var failures = 0
    }
    private let state: Mutex<State>

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        state = Mutex(State(random: SeededGenerator(seed: configuration.seed)))
    }

    /// The simulated time, in seconds.
    public var now: Double { state.withLock { $0.clock } }
    /// Batches that ran, and batches that ran out of memory.
    public var counts: (batches: Int, failures: Int) { state.withLock { ($0.batches, $0.failures) } }

    /// Memory the competitor holds at `time`.
    public func held(at time: Double) -> ByteCount {
        configuration.competitor.filter { $0.start <= time && time < $0.end }.reduce(.zero) { $0 + $1.bytes }
    }

    /// The largest batch that fits at `time` without noise (the oracle's answer), 0 if none.
    public func largestFittingBatch(at time: Double? = nil) -> Int {
        let free = configuration.capacity - held(at: time ?? now) - configuration.fixed
        guard configuration.perItem.bytes > 0 else { return Int.max }
        return max(0, Int(free.bytes / configuration.perItem.bytes))
    }

    /// Runs a batch of `count` items: advances the clock, or throws ``SimulatedOutOfMemory``.
    public func run(batchOf count: Int) throws(SimulatedOutOfMemory) {
        let c = configuration
        let result: SimulatedOutOfMemory? = state.withLock { state in
            let extra = c.noise > 0 ? Double.random(in: 0...c.noise, using: &state.random) : 0
            let need = (c.fixed + ByteCount(c.perItem.bytes.multipliedSaturating(by: Int64(count)))) * (1 + extra)
            let available = c.capacity - held(at: state.clock)
            if need > available {
                state.clock += c.failureSeconds
                state.failures += 1
                return SimulatedOutOfMemory(requested: need, available: available, batchSize: count)
            }
            state.clock += c.overheadSeconds + Double(count) * c.secondsPerItem
            state.batches += 1
            return nil
        }
        if let result { throw result }
    }

    /// Runs `batch` and returns `transform` of each item, as a model would return one output per input.
    public func process<Item, Output>(_ batch: ArraySlice<Item>, _ transform: (Item) -> Output) throws(SimulatedOutOfMemory) -> [Output] {
        try run(batchOf: batch.count)
        return batch.map(transform)
    }
}

/// The error a ``SimulatedDevice`` throws, worded as PyTorch words CUDA's.
public struct SimulatedOutOfMemory: OutOfMemoryError, Hashable, CustomStringConvertible {
    public var requested: ByteCount
    public var available: ByteCount
    public var batchSize: Int

    public init(requested: ByteCount, available: ByteCount, batchSize: Int) {
        self.requested = requested
        self.available = available
        self.batchSize = batchSize
    }

    public var description: String {
        "CUDA out of memory. Tried to allocate \(requested) for a batch of \(batchSize); \(available) free (simulated)"
    }
}
