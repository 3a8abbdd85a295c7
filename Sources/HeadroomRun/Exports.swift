// Running programs speaks in the batcher's out-of-memory classifier and the monitor's samples.
@_exported import HeadroomBatching
@_exported import HeadroomMonitor
