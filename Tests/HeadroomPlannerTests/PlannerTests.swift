import HeadroomPlanner
import Testing

@Suite("tiers, catalog fits, the split and scheduler requests")
struct PlannerTests {
    static let gib: Int64 = 1 << 30
    let bare = MemoryModelOptions(runtimeOverhead: .zero, allocatorReserve: 0)

    @Test("tiers: batch 1, ÷ 0.75, and the comfortable batch ÷ 0.75")
    func tiers() throws {
        let planner = try Planner(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(sequenceLength: 128))
        let tiers = planner.tiers()
        let one = planner.model.estimate(batch: 1).total
        #expect(tiers.minimum == one)
        #expect(tiers.recommended.bytes == Int64((one.doubleValue / 0.75).rounded(.down)))
        #expect(tiers.comfortable.bytes == Int64((planner.model.estimate(batch: 4).total.doubleValue / 0.75).rounded(.down)))
    }

    @Test("catalog: fits, fits with N GPUs, does not fit")
    func catalog() throws {
        let weights = ModelInventory(format: .safetensors, files: [], tensors: [PlannerFixtures.tensor("w", elements: 15 * PlannerTests.gib)], architecture: nil)
        let catalog = [CatalogGPU(name: "big", memory: .gibibytes(40)), CatalogGPU(name: "mid", memory: .gibibytes(16)),
                       CatalogGPU(name: "tiny", memory: .gibibytes(2)), CatalogGPU(name: "unified", memory: .gibibytes(40), isUnifiedMemory: true)]
        let planner = try Planner(inventory: weights, options: bare, level: .extreme, catalog: catalog)
        let report = planner.report(machine: MachineResources(gpus: [], hostAvailable: .gibibytes(64)))
        #expect(report.catalog.map(\.verdict) == [.fits, .fitsWithSeveral, .doesNotFit, .doesNotFit])
        #expect(report.catalog[1].gpuCount == 2)  // 30 GiB over 16 × 0.95 GiB each
        #expect(report.catalog[0].largestBatch == MemoryModel.maximumBatch)
        #expect(report.catalog[3].budget == ByteCount.gibibytes(40) * 0.75 * 0.95)
        #expect(report.catalog[3].gpuCount == nil)
    }

    @Test("this machine: the largest batch per GPU at the level's margin")
    func thisMachine() throws {
        let planner = try Planner(inventory: PlannerFixtures.transformer(), options: MemoryModelOptions(sequenceLength: 128), level: .conservative)
        let free = planner.model.estimate(batch: 10).total * 2
        let report = planner.report(machine: MachineResources(gpus: [.init(index: 0, name: "G", free: free)], hostAvailable: .gibibytes(8)))
        #expect(report.thisMachine.gpus.first?.budget == free * 0.5)
        #expect(report.thisMachine.gpus.first?.largestBatch == 10)
        #expect(report.split == nil)
        #expect(report.table.map(\.batchSize).prefix(4) == [1, 2, 4, 8])
    }

    @Test("split: layers that fit the GPU, the rest in host RAM, checked against host and container")
    func split() throws {
        let planner = try Planner(inventory: PlannerFixtures.layered(), options: bare, level: .extreme)
        let gpu = MachineResources.GPU(index: 0, name: "G", free: .gibibytes(3))
        // Budget 2.85 GiB: the 0.5 GiB embedding plus 2 of the 1 GiB blocks.
        let report = planner.report(machine: MachineResources(gpus: [gpu], hostAvailable: .gibibytes(10)))
        let split = try #require(report.split)
        #expect(split.totalLayers == 4 && split.layersOnGPU == 2 && split.layersInHost == 2)
        #expect(split.hostBytes == .gibibytes(2))
        #expect(split.gpuBytes.bytes == 5 * PlannerTests.gib / 2)
        #expect(split.fitsHost)
        let short = planner.report(machine: MachineResources(gpus: [gpu], hostAvailable: .gibibytes(10), containerAvailable: .gibibytes(1)))
        #expect(short.split?.fitsHost == false)
        #expect(short.split?.summary.contains("container") == true)
        let request = SchedulerRequest.render(report, as: .kubernetes)
        #expect(request.contains("nvidia.com/gpu: 1"))
        #expect(request.contains("memory: \"6Gi\""))  // 2 GiB of layers + 4 GiB baseline
        #expect(SchedulerRequest.render(report, as: .slurm).contains("#SBATCH --mem=6G"))
    }

    @Test("a GPU too small for even the embeddings says so")
    func splitTooSmall() throws {
        let planner = try Planner(inventory: PlannerFixtures.layered(), options: bare, level: .extreme)
        let report = planner.report(machine: MachineResources(gpus: [.init(index: 0, name: "G", free: .mebibytes(100))], hostAvailable: .gibibytes(10)))
        #expect(report.split?.layersOnGPU == 0)
        #expect(report.split?.fitsHost == false)
    }
}
