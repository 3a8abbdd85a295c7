// The shared vocabulary (ByteCount, OptimizationLevel, MemoryBudget) comes with the probe.
// The C library does not: each file that calls it imports it.
@_exported import HeadroomCore
