// The one import ladder for the C library, so other files need no #if.
// Re-exported, as Foundation does, so that users and the CLI see the same libc.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Musl)
@_exported import Musl
#elseif canImport(Darwin)
@_exported import Darwin
#endif

// The shared vocabulary (ByteCount, OptimizationLevel) comes with the probe.
@_exported import HeadroomCore
