extension BatchBudget {
    /// A batcher's start from the free memory of a device the job gets: for a MIG
    /// device its slice's, never the whole GPU's (``GPUInventory/selection``).
    ///
    /// ```swift
    /// let device = try #require(NVMLBackend().inventory().selection.devices.first)
    /// let start = BatchBudget(device: device, fixed: .gibibytes(2), perItem: .mebibytes(300))
    /// ```
    ///
    /// `nil` when the device's memory could not be read. ``CUDAMemoryBudget``
    /// reads the same figure from CUDA, which applies `CUDA_VISIBLE_DEVICES` itself.
    public init?(device: VisibleGPU, fixed: ByteCount = .zero, perItem: ByteCount, level: OptimizationLevel = .balanced) {
        guard let free = device.memory?.free else { return nil }
        self.init(free: free, fixed: fixed, perItem: perItem, level: level)
    }
}
