// The monitor stands on the probe: its readers, ByteCount and the C library.
@_exported import HeadroomProbe
