import HeadroomBatching

/// A batch-size search and what it has seen, behind an `hr_search *`.
final class SearchHandle {
    var search: BatchSizeSearch
    var batches = 0
    var items: Int64 = 0
    var seconds = 0.0
    var outOfMemoryCount = 0

    init(_ search: BatchSizeSearch) {
        self.search = search
    }

    /// The report of `hr_search_report_json`.
    struct Report: Encodable {
        var settledSize: Int?
        var largestSuccess: Int?
        var smallestFailure: Int?
        var outOfMemoryCount: Int
        var batches: Int
        var items: Int64
        var seconds: Double
        var itemsPerSecond: Double?
    }

    var report: Report {
        Report(settledSize: search.isSettled ? search.largestSuccess : nil, largestSuccess: search.largestSuccess,
               smallestFailure: search.smallestFailure, outOfMemoryCount: outOfMemoryCount, batches: batches, items: items,
               seconds: seconds, itemsPerSecond: seconds > 0 ? Double(items) / seconds : nil)
    }

    static func from(_ pointer: OpaquePointer?) throws -> SearchHandle {
        guard let pointer else { throw CallError.argument("search is NULL") }
        return Unmanaged<SearchHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }
}

@_cdecl("hr_search_new")
public func hr_search_new(_ start: Int64, _ maximum: Int64, _ growAfter: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    call {
        let out = try required(out, "out")
        out.pointee = nil
        let start = try positive(start, "start"), maximum = try positive(maximum, "maximum")
        let growAfter = try positive(growAfter, "grow_after")
        guard maximum >= start else { throw CallError.argument("maximum (\(maximum)) must be at least start (\(start))") }
        let handle = SearchHandle(BatchSizeSearch(start: start, maximum: maximum, growAfter: growAfter))
        out.pointee = OpaquePointer(Unmanaged.passRetained(handle).toOpaque())
    }
}

@_cdecl("hr_search_next")
public func hr_search_next(_ search: OpaquePointer?, _ remaining: Int64, _ size: UnsafeMutablePointer<Int64>?) -> Int32 {
    call {
        let handle = try SearchHandle.from(search)
        let size = try required(size, "size")
        size.pointee = Int64(handle.search.nextSize(remaining: try positive(remaining, "remaining")))
    }
}

@_cdecl("hr_search_succeeded")
public func hr_search_succeeded(_ search: OpaquePointer?, _ size: Int64, _ seconds: Double) -> Int32 {
    call {
        let handle = try SearchHandle.from(search)
        let size = try positive(size, "size")
        guard seconds.isFinite, seconds >= 0 else { throw CallError.argument("seconds must be 0 or more; got \(seconds)") }
        handle.search.succeeded(size: size)
        handle.batches += 1
        handle.items += Int64(size)
        handle.seconds += seconds
    }
}

@_cdecl("hr_search_failed")
public func hr_search_failed(_ search: OpaquePointer?, _ size: Int64) -> Int32 {
    call {
        let handle = try SearchHandle.from(search)
        let size = try positive(size, "size")
        handle.outOfMemoryCount += 1
        guard handle.search.failedOutOfMemory(size: size) else {
            throw CallError(status: Status.exhausted, message: "a batch of 1 item ran out of memory: nothing smaller can be tried")
        }
    }
}

@_cdecl("hr_search_report_json")
public func hr_search_report_json(_ search: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    call {
        out?.pointee = nil
        try give(try JSONOutput.encode(try SearchHandle.from(search).report), to: out)
    }
}

@_cdecl("hr_search_free")
public func hr_search_free(_ search: OpaquePointer?) {
    guard let search else { return }
    Unmanaged<SearchHandle>.fromOpaque(UnsafeRawPointer(search)).release()
}
