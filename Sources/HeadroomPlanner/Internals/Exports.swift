// The planner's public API speaks in ByteCount and OptimizationLevel; users get them with it.
@_exported import HeadroomCore
