/// Works out groups, widths and classes from a state dict's shapes, then checks every shape.
enum CheckpointInference {
    struct Architecture: Equatable {
        var groups: Int
        var widths: [Int]
        var classes: Int
        var width: Double
        var isStandard: Bool
    }

    /// Checks the key set, infers the architecture and checks every shape against it.
    static func architecture(shapes: [String: [Int]], file: String) throws(WeightsError) -> Architecture {
        if !CheckpointLayout.keys.contains(where: { shapes[$0] != nil }) {
            throw .unrecognizedLayout(file: file, sampleKeys: shapes.keys.sorted())
        }
        let missing = CheckpointLayout.keys.filter { shapes[$0] == nil }
        if !missing.isEmpty { throw .missingKeys(file: file, network: ShuffleNetConfiguration.family, keys: missing) }
        let architecture = try infer(shapes, file: file)
        let configuration: ShuffleNetConfiguration
        do {
            configuration = try ShuffleNetConfiguration(
                groups: architecture.groups, widths: architecture.widths, width: architecture.width,
                classes: architecture.classes)
        } catch {
            let key = CheckpointLayout.unit(0).pointwise2.weight
            throw .unsupportedLayout(
                file: file, key: key, shape: shapes[key] ?? [], reason: "is part of an impossible network: \(error)")
        }
        try configuration.spec.check(shapes, file: file, network: ShuffleNetConfiguration.family)
        return architecture
    }

    /// conv1 from `first_conv`, each stage's width by adding what its first unit's pw2 outputs,
    /// groups from `features.1`'s pw1 (`[mid, stage2 / g, 1, 1]`), classes from the classifier.
    private static func infer(_ shapes: [String: [Int]], file: String) throws(WeightsError) -> Architecture {
        func dimension(_ key: String, _ axis: Int, rank: Int) throws(WeightsError) -> Int {
            let shape = shapes[key] ?? []
            guard shape.count == rank, shape[axis] > 0 else {
                throw .unsupportedLayout(
                    file: file, key: key, shape: shape, reason: "should have \(rank) non-zero dimensions")
            }
            return shape[axis]
        }
        let conv1 = try dimension(CheckpointLayout.stem.weight, 0, rank: 4)
        var widths = [conv1]
        for feature in [0, 4, 12] {
            let added = try dimension(CheckpointLayout.unit(feature).pointwise2.weight, 0, rank: 4)
            widths.append((widths.last ?? 0) + added)
        }
        let groupKey = CheckpointLayout.unit(1).pointwise1.weight
        let perGroup = try dimension(groupKey, 1, rank: 4)
        guard widths[1] % perGroup == 0 else {
            throw .unsupportedLayout(
                file: file, key: groupKey, shape: shapes[groupKey] ?? [],
                reason:
                    "splits stage 2's \(widths[1]) channels into groups of \(perGroup), not a whole number of groups")
        }
        let groups = widths[1] / perGroup
        guard ShuffleNetConfiguration.supportedGroups.contains(groups) else {
            throw .unsupportedLayout(
                file: file, key: groupKey, shape: shapes[groupKey] ?? [],
                reason: "means \(groups) groups; supported are \(ShuffleNetConfiguration.supportedGroups)")
        }
        let classes = try dimension(CheckpointLayout.classifierKey, 0, rank: 2)
        let standard = ShuffleNetConfiguration.supportedWidths.first {
            (try? ShuffleNetConfiguration.standardWidths(groups: groups, width: $0)) == widths
        }
        return Architecture(
            groups: groups, widths: widths, classes: classes,
            width: standard ?? ShuffleNetConfiguration.nominalWidth(groups: groups, widths: widths),
            isStandard: standard != nil)
    }
}
