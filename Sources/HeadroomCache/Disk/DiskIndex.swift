/// The disk tier's index: file name to size in least-recently-used order, an
/// intrusive list over an array like ``MemoryCache``'s shards, so choosing and
/// dropping the coldest file is O(1) rather than a directory sweep.
///
/// Each file carries a stamp: the modification time (nanoseconds) this process
/// last knew for it. Readers in other processes move a file's modification time
/// forward on a hit, so a file whose time on disk is newer than its stamp was
/// used elsewhere since (see ``DiskDirectory/evict(sparing:capacity:)``).
struct DiskIndex {
    struct Node {
        var name: String?
        var size: Int
        var stamp: Int64
        var previous: Int32
        var next: Int32
    }

    private var slots: [String: Int32] = [:]
    private var nodes: [Node] = []
    private var free: [Int32] = []
    private var head: Int32 = -1
    private var tail: Int32 = -1
    private(set) var bytes = 0

    var count: Int { slots.count }

    func size(of name: String) -> Int? {
        slots[name].map { nodes[Int($0)].size }
    }

    func stamp(of name: String) -> Int64? {
        slots[name].map { nodes[Int($0)].stamp }
    }

    /// Adds or replaces a file as the most recently used.
    mutating func insert(_ name: String, size: Int, stamp: Int64 = 0) {
        if let i = slots[name] {
            unlink(i)
            bytes += size - nodes[Int(i)].size
            nodes[Int(i)].size = size
            nodes[Int(i)].stamp = stamp
            pushFront(i)
            return
        }
        let node = Node(name: name, size: size, stamp: stamp, previous: -1, next: -1)
        let i: Int32
        if let reused = free.popLast() {
            i = reused
            nodes[Int(i)] = node
        } else {
            nodes.append(node)
            i = Int32(nodes.count - 1)
        }
        slots[name] = i
        bytes += size
        pushFront(i)
    }

    /// Marks a file as just used, at `stamp` if given; false if it is not indexed.
    @discardableResult
    mutating func touch(_ name: String, stamp: Int64? = nil) -> Bool {
        guard let i = slots[name] else { return false }
        unlink(i)
        if let stamp { nodes[Int(i)].stamp = stamp }
        pushFront(i)
        return true
    }

    /// Drops a file from the index; returns its size.
    @discardableResult
    mutating func remove(_ name: String) -> Int? {
        guard let i = slots.removeValue(forKey: name) else { return nil }
        unlink(i)
        let size = nodes[Int(i)].size
        bytes -= size
        nodes[Int(i)] = Node(name: nil, size: 0, stamp: 0, previous: -1, next: -1)
        free.append(i)
        return size
    }

    /// The least recently used file other than `spared`.
    func coldest(sparing spared: String?) -> String? {
        var i = tail
        while i >= 0 {
            if let name = nodes[Int(i)].name, name != spared { return name }
            i = nodes[Int(i)].previous
        }
        return nil
    }

    /// Every file, least recently used first.
    func entriesColdestFirst() -> [(name: String, size: Int, stamp: Int64)] {
        var entries: [(name: String, size: Int, stamp: Int64)] = []
        entries.reserveCapacity(count)
        var i = tail
        while i >= 0 {
            let node = nodes[Int(i)]
            if let name = node.name { entries.append((name, node.size, node.stamp)) }
            i = node.previous
        }
        return entries
    }

    mutating func removeAll() {
        self = DiskIndex()
    }

    private mutating func unlink(_ i: Int32) {
        let node = nodes[Int(i)]
        if node.previous >= 0 { nodes[Int(node.previous)].next = node.next } else { head = node.next }
        if node.next >= 0 { nodes[Int(node.next)].previous = node.previous } else { tail = node.previous }
    }

    private mutating func pushFront(_ i: Int32) {
        nodes[Int(i)].previous = -1
        nodes[Int(i)].next = head
        if head >= 0 { nodes[Int(head)].previous = i } else { tail = i }
        head = i
    }
}
