#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Publishing, removing and evicting entry files, under the lock.
extension DiskDirectory {
    /// Renames a finished temporary file into place as `name` and records it.
    mutating func publish(_ temporary: String, as name: String, size: Int, stamp: Int64) -> Bool {
        markChanging()
        guard rename(path + "/" + temporary, path + "/" + name) == 0 else {
            DiskFiles.remove(path + "/" + temporary)
            return false
        }
        index.insert(name, size: size, stamp: stamp)
        record(.added(name: name, size: size, stamp: stamp))
        return true
    }

    /// Removes an entry's file, only if it is still the file `expected` names
    /// (when given), and records the removal.
    @discardableResult
    mutating func remove(_ name: String, ifStill expected: DiskFiles.Identity? = nil) -> Bool {
        let file = path + "/" + name
        let present = DiskFiles.status(file)
        if let expected, present?.identity != expected { return false }
        markChanging()
        if present != nil { DiskFiles.remove(file) }
        if index.remove(name) != nil { record(.removed(name: name)) }
        return present != nil
    }

    /// Removes least recently used entries, other than `spared`, until the
    /// entries take at most `capacity` bytes; returns how many went.
    ///
    /// Recency is shared through modification times: a reader in any process
    /// moves an entry's time forward on a hit. An entry whose time on disk is
    /// newer than the index knew was used elsewhere, so it gets a second chance
    /// (moved to the front) instead of being evicted, at most once per entry per
    /// call. A file already gone means the index lost step with the directory:
    /// it is rebuilt from a scan, once.
    mutating func evict(sparing spared: String?, capacity: Int) -> Int {
        var evicted = 0
        var chances = index.count
        var rebuilt = false
        while index.bytes > capacity, let victim = index.coldest(sparing: spared) {
            let file = path + "/" + victim
            guard let status = DiskFiles.status(file) else {
                if rebuilt {
                    index.remove(victim)
                    record(.removed(name: victim))
                } else {
                    rebuild()
                    rebuilt = true
                }
                continue
            }
            if chances > 0, let known = index.stamp(of: victim), status.modified > known {
                chances -= 1
                index.touch(victim, stamp: status.modified)
                continue
            }
            markChanging()
            DiskFiles.remove(file)
            index.remove(victim)
            record(.removed(name: victim))
            evicted += 1
        }
        return evicted
    }
}
