/// Where every stored output lives inside one arena, chosen so buffers that are never alive at
/// the same time share memory.
///
/// A buffer (one per placement owner, see `StepPlan`) is alive from the first step that writes
/// into it to the last step that reads it (the graph's output stays alive to the end). Slots
/// are reused greedily: a buffer takes the smallest free slot that fits, else grows the largest
/// free one, else opens a new one. A step's inputs are freed only after its output is placed,
/// so no step's output overlaps what it reads, with one exception: a pointwise convolution
/// whose fused residual dies with it writes exactly over that residual (see
/// `Kernels.pointwiseCanOverwriteResidual`).
struct BufferPlan {
    /// Arena offset of each owner's buffer, in floats (nil for nodes that own none).
    var offsets: [Int?]
    /// Floats the arena needs.
    var arenaFloats: Int
    /// Distinct slots the plan uses.
    var slotCount: Int

    init(graph: Graph, steps: StepPlan) {
        let count = graph.nodes.count
        var firstWrite = [Int?](repeating: nil, count: count)
        var lastRead = [Int](repeating: -1, count: count)
        func owner(_ input: NodeInput) -> Int? {
            guard case .node(let source) = input else { return nil }
            return steps.placements[source]?.owner
        }
        for (index, step) in steps.steps.enumerated() {
            for input in step.inputs + (step.residual.map { [$0] } ?? []) {
                if let owner = owner(input) { lastRead[owner] = max(lastRead[owner], index) }
            }
            if let owner = owner(.node(step.writes)), firstWrite[owner] == nil { firstWrite[owner] = index }
        }
        if let output = owner(.node(count - 1)) { lastRead[output] = steps.steps.count }

        var slotSizes: [Int] = []
        var freeSlots: [Int] = []
        var slotOfOwner = [Int?](repeating: nil, count: count)
        /// Owners whose slot a later step's output took over (see `overwritableResidual`).
        var handedOver = [Bool](repeating: false, count: count)
        for index in steps.steps.indices {
            let inherited = Self.overwritableResidual(step: index, graph: graph, steps: steps, lastRead: lastRead)
            for owner in 0..<count where firstWrite[owner] == index {
                // Round to 16 floats so every buffer starts on its own 64-byte line.
                let size = (graph.nodes[owner].outputShape.count + 15) / 16 * 16
                let slot: Int
                if let residual = inherited, owner == steps.steps[index].writes, let taken = slotOfOwner[residual] {
                    // Writing over the residual spares the caches fetching lines only to overwrite them.
                    slot = taken
                    handedOver[residual] = true
                } else if let best = freeSlots.filter({ slotSizes[$0] >= size }).min(by: { slotSizes[$0] < slotSizes[$1] }) {
                    slot = best
                } else if let largest = freeSlots.max(by: { slotSizes[$0] < slotSizes[$1] }) {
                    slot = largest
                    slotSizes[slot] = size
                } else {
                    slot = slotSizes.count
                    slotSizes.append(size)
                }
                freeSlots.removeAll { $0 == slot }
                slotOfOwner[owner] = slot
            }
            for owner in 0..<count where firstWrite[owner] != nil && max(lastRead[owner], firstWrite[owner] ?? 0) == index {
                if let slot = slotOfOwner[owner], !handedOver[owner] { freeSlots.append(slot) }
            }
        }
        var slotOffsets: [Int] = []
        var total = 0
        for size in slotSizes {
            slotOffsets.append(total)
            // Every buffer starts on a cache line (the arena does): a 28 × 28 plane's rows of
            // vectors then never straddle two lines, which costs a matrix product a fifteenth.
            total += (size + Self.lineFloats - 1) / Self.lineFloats * Self.lineFloats
        }
        offsets = slotOfOwner.map { slot in slot.map { slotOffsets[$0] } }
        arenaFloats = total
        slotCount = slotSizes.count
    }

    /// Floats in a 64-byte cache line.
    static let lineFloats = 16

    /// The owner of step `step`'s residual if the step may write its output over it: a pointwise
    /// convolution whose residual is read by nothing later, has exactly the output's shape and
    /// layout, is not also its input, and lives in the arena.
    private static func overwritableResidual(step index: Int, graph: Graph, steps: StepPlan, lastRead: [Int]) -> Int? {
        let step = steps.steps[index]
        guard case .node(let source)? = step.residual, case .convolution(let conv) = graph.nodes[step.node].op,
              Kernels.pointwiseCanOverwriteResidual(conv),
              let residual = steps.placements[source], residual.channelOffset == 0, residual.owner == source,
              let written = steps.placements[step.writes], written.channelOffset == 0, written.owner == step.writes,
              lastRead[source] == index,
              graph.nodes[source].outputShape == graph.nodes[step.writes].outputShape
        else { return nil }
        for case .node(let input) in step.inputs where steps.placements[input]?.owner == source { return nil }
        return source
    }
}
