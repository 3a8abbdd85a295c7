#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// The size of a memory page, which `/proc` counts some figures in (`statm`, zone watermarks).
package enum SystemPage {
    package static let size = Int64(sysconf(Int32(_SC_PAGESIZE)))
}
