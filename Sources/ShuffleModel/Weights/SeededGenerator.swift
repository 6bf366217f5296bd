import ShuffleEngine

/// The generator behind seeded weights (SplitMix64, fixed by its seed on every platform).
typealias SeededGenerator = SplitMix64
