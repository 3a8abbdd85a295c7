#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Descriptor-level calls: positioned reads and writes, the directory lock, times.
extension DiskFiles {
    /// Writes all of `bytes`, at `offset` (pwrite) or at the file position (write).
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int?) -> Bool {
        var done = 0
        while done < bytes.count {
            let written = offset.map { pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t($0 + done)) }
                ?? write(fd, bytes.baseAddress! + done, bytes.count - done)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            done += written
        }
        return true
    }

    /// Reads `count` bytes at `offset`, or nil if the file holds fewer. The
    /// count is capped by the file's real size before anything is allocated.
    static func read(_ fd: Int32, count: Int, at offset: Int) -> [UInt8]? {
        guard count >= 0, offset >= 0, let size = size(of: fd), offset <= size, count <= size - offset else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        let ok = bytes.withUnsafeMutableBytes { buffer -> Bool in
            while done < count {
                let got = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0, errno == EINTR { continue }
                guard got > 0 else { return false }
                done += got
            }
            return true
        }
        return ok ? bytes : nil
    }

    /// The size of the file open at `fd`.
    static func size(of fd: Int32) -> Int? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// Whether the file open at `fd` still has a name (it was not unlinked or renamed over).
    static func isLinked(_ fd: Int32) -> Bool {
        var info = stat()
        return fstat(fd, &info) == 0 && info.st_nlink > 0
    }

    /// Takes (`true`) or releases the exclusive lock on the open file `fd`.
    /// The lock belongs to the open file description and the kernel drops it when
    /// its holder dies, so a killed process never leaves the directory locked.
    static func lock(_ fd: Int32, _ exclusive: Bool) {
        while flock(fd, exclusive ? LOCK_EX : LOCK_UN) != 0, errno == EINTR {}
    }

    /// The wall-clock time now.
    static func now() -> timespec {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return time
    }

    static func nanoseconds(_ time: timespec) -> Int64 {
        Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
    }

    /// Sets the file's access and modification times: the shared recency of an entry.
    @discardableResult
    static func setModified(_ fd: Int32, _ time: timespec) -> Bool {
        var times = (time, time)
        return withUnsafePointer(to: &times) {
            $0.withMemoryRebound(to: timespec.self, capacity: 2) { futimens(fd, $0) == 0 }
        }
    }
}
