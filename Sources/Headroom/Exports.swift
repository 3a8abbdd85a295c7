// The umbrella: one import gives every Headroom module.
@_exported import HeadroomProbe
@_exported import HeadroomBatching
@_exported import HeadroomCache
@_exported import HeadroomMonitor
@_exported import HeadroomPlanner
@_exported import HeadroomRun
