/// The memory a plan may use on one machine: free memory per GPU and the host's RAM.
///
/// A plain value: `Headroom`'s `MachineResources.probe()` reads this machine's,
/// and tests and scripts give their own.
public struct MachineResources: Sendable, Hashable {
    /// A GPU's index, name and free memory.
    public struct GPU: Sendable, Hashable {
        public var index: Int
        public var name: String
        public var free: ByteCount

        public init(index: Int, name: String, free: ByteCount) {
            self.index = index
            self.name = name
            self.free = free
        }
    }

    public var gpus: [GPU]
    /// Host RAM and the container's, and the lower of the two.
    public var memory: EffectiveMemory

    public init(gpus: [GPU], memory: EffectiveMemory) {
        self.gpus = gpus
        self.memory = memory
    }

    /// GPUs and the RAM available now on the host and in the container (a plan needs no totals).
    public init(gpus: [GPU], hostAvailable: ByteCount, containerAvailable: ByteCount? = nil) {
        self.init(gpus: gpus, memory: EffectiveMemory(hostTotal: hostAvailable, hostAvailable: hostAvailable,
                                                      containerAvailable: containerAvailable))
    }

    /// Host RAM available now (`MemAvailable`).
    public var hostAvailable: ByteCount { memory.hostAvailable }
    /// The container's headroom (limit minus use), where a limit is set.
    public var containerAvailable: ByteCount? { memory.containerAvailable }
}
