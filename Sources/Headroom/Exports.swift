@_exported import HeadroomProbe
