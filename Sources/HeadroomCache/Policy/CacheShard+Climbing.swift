extension CacheShard {
    /// Sets the window's share of the limit and moves entries to match, as Caffeine does: a smaller
    /// window hands its coldest entries to probation's hot end; a larger one takes probation's
    /// coldest (then protected's) into its hot end. At most 1,000 entries move at once; the
    /// window's own drain evens out the rest.
    @inlinable mutating func resizeWindow(share: Double) {
        windowShare = share
        windowLimit = Int(Double(limit) * share)
        protectedLimit = (limit - windowLimit) * 8 / 10
        var moves = 0
        while lists[0].bytes > windowLimit, lists[0].tail >= 0, moves < 1000 {
            let coldest = lists[0].tail
            unlink(coldest)
            pushFront(coldest, .probation)
            moves += 1
        }
        while moves < 1000 {
            let coldest = lists[1].tail >= 0 ? lists[1].tail : lists[2].tail
            guard coldest >= 0, lists[0].bytes + nodes[Int(coldest)].cost <= windowLimit else { break }
            unlink(coldest)
            pushFront(coldest, .window)
            moves += 1
        }
        while lists[2].bytes > protectedLimit, lists[2].tail >= 0 {
            let demoted = lists[2].tail
            unlink(demoted)
            pushFront(demoted, .probation)
        }
    }
}
