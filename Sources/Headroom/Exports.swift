// The umbrella: one import gives every Headroom module but the HTTP server.
@_exported import HeadroomAdvisor
@_exported import HeadroomBatching
@_exported import HeadroomCache
@_exported import HeadroomCore
@_exported import HeadroomMonitor
@_exported import HeadroomPlanner
@_exported import HeadroomProbe
@_exported import HeadroomRun
