// Advice speaks in the probe's snapshots, the batcher's budgets and the planner's fits.
@_exported import HeadroomBatching
@_exported import HeadroomPlanner
@_exported import HeadroomProbe
