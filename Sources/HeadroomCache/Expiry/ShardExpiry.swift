/// A shard's expiry state: each node's deadline, beside the node array, and a
/// min-heap of (deadline, node) to reclaim due entries without a scan.
///
/// The heap is lazy: a read that extends an entry's idle deadline does not touch
/// it. When an entry's turn comes and its deadline has moved on, it is pushed
/// again with the new one; a freed or reused node is checked against its
/// current deadline. The heap is rebuilt when stale pairs outnumber the entries.
///
/// A class, so the shard holds one reference: a struct with an existential clock and three arrays
/// inline made every get copy the whole shard. Used only under the shard's lock.
@usableFromInline
final class ShardExpiry: @unchecked Sendable {
    @usableFromInline let clock: any CacheClock
    @usableFromInline let timeToLive: Int64?
    @usableFromInline let timeToIdle: Int64?
    /// When each node expires (`Int64.max`: never), indexed like the shard's nodes.
    @usableFromInline var deadlines: [Int64] = []
    /// Each node's time-to-live deadline, which a read never extends.
    @usableFromInline var liveUntil: [Int64] = []
    @usableFromInline var heap: [Due] = []

    @usableFromInline
    struct Due: Sendable {
        @usableFromInline var deadline: Int64
        @usableFromInline var node: Int32

        @inlinable init(deadline: Int64, node: Int32) {
            self.deadline = deadline
            self.node = node
        }
    }

    @usableFromInline init(_ expiry: CacheExpiry) {
        clock = expiry.clock
        timeToLive = expiry.timeToLive.map(CacheExpiry.nanoseconds)
        timeToIdle = expiry.timeToIdle.map(CacheExpiry.nanoseconds)
    }

    /// Sets a node's deadlines for a write at `now`, with an optional time to live of its own.
    @inlinable func written(_ node: Int32, now: Int64, timeToLive override: Int64?) {
        let i = Int(node)
        while deadlines.count <= i {
            deadlines.append(.max)
            liveUntil.append(.max)
        }
        let live = (override ?? timeToLive).map { now.addingReportingOverflow($0).overflow ? .max : now + $0 } ?? .max
        liveUntil[i] = live
        deadlines[i] = min(live, idleDeadline(now))
        if deadlines[i] < .max { push(Due(deadline: deadlines[i], node: node)) }
    }

    /// Extends a node's idle deadline for a read at `now`.
    @inlinable func read(_ node: Int32, now: Int64) {
        guard timeToIdle != nil else { return }
        deadlines[Int(node)] = min(liveUntil[Int(node)], idleDeadline(now))
    }

    @inlinable func idleDeadline(_ now: Int64) -> Int64 {
        guard let timeToIdle else { return .max }
        return now.addingReportingOverflow(timeToIdle).overflow ? .max : now + timeToIdle
    }

    /// Whether a node's deadline has passed.
    @inlinable func isExpired(_ node: Int32, now: Int64) -> Bool {
        Int(node) < deadlines.count && deadlines[Int(node)] <= now
    }

    /// Forgets a freed node's deadlines, so its stale heap pairs are skipped.
    @inlinable func freed(_ node: Int32) {
        guard Int(node) < deadlines.count else { return }
        deadlines[Int(node)] = .max
        liveUntil[Int(node)] = .max
    }

    // MARK: Heap

    @inlinable func push(_ due: Due) {
        heap.append(due)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    @inlinable func popMin() -> Due {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { break }
                var least = left
                if left + 1 < heap.count, heap[left + 1].deadline < heap[left].deadline { least = left + 1 }
                guard heap[least].deadline < heap[parent].deadline else { break }
                heap.swapAt(parent, least)
                parent = least
            }
        }
        return top
    }

    /// The earliest deadline in the heap, or `Int64.max`.
    @inlinable var nextDue: Int64 { heap.first?.deadline ?? .max }

    /// Rebuilds the heap from the live deadlines.
    @inlinable func rebuild() {
        heap.removeAll(keepingCapacity: true)
        for i in deadlines.indices where deadlines[i] < .max { push(Due(deadline: deadlines[i], node: Int32(i))) }
    }
}
