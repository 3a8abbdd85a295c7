extension BatchBudget {
    /// A batcher's start from a plan: the plan's fixed and per-item memory
    /// (reserve and overhead included, ``FitReport/batching``) within `budget`.
    ///
    /// ```swift
    /// let plan = try Planner(inventory: .load(path: "model.safetensors"), options: .init()).report(machine: .probe())
    /// let start = BatchBudget(plan: plan, budget: MemoryBudget(free: freeGPU, level: .balanced))
    /// ```
    public init(plan: FitReport, budget: MemoryBudget) {
        self.init(budget: budget, fixed: plan.batching.fixed, perItem: plan.batching.perItem)
    }
}
