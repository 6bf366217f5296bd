import Foundation
import ShuffleKernelCore
import Testing
@testable import ShuffleEngine

@Suite struct ElementwiseKernelTests {
    @Test(arguments: ShuffleConvention.allCases)
    func shuffleMatchesReference(convention: ShuffleConvention) throws {
        var random = SeededRandom(seed: 3)
        for (channels, groups) in [(6, 2), (24, 3), (24, 8), (60, 3), (7, 7), (5, 1)] {
            for plane in testPlanes {
                let input = random.tensor(Shape(n: 2, c: channels, h: plane.h, w: plane.w))
                let (fast, reference) = try runBoth(.channelShuffle(groups: groups, convention: convention), [input], threads: 2)
                #expect(fast == reference, "c\(channels) g\(groups) \(plane)")
            }
        }
    }

    @Test func paperShuffleOfKnownPlanes() {
        // Channel i holds the value i on a 1×2 plane; g=2, C=6 reads channels [0,3,1,4,2,5].
        let input = Tensor(shape: Shape(n: 1, c: 6, h: 1, w: 2), storage: (0..<6).flatMap { [Float($0), Float($0)] })
        let y = Kernels.run(.channelShuffle(groups: 2, convention: .paper), inputs: [input], outputShape: input.shape)
        #expect(y.storage == [0, 0, 3, 3, 1, 1, 4, 4, 2, 2, 5, 5])
    }

    @Test(arguments: [false, true])
    func addMatchesReference(relu: Bool) throws {
        var random = SeededRandom(seed: 4)
        // Sizes around the vector width and the parallel chunk size.
        for count in [1, 7, 8, 9, 143, 16_384 * 2 + 13] {
            let a = random.tensor(Shape(n: 1, c: 1, h: 1, w: count))
            let b = random.tensor(Shape(n: 1, c: 1, h: 1, w: count))
            let (fast, reference) = try runBoth(.add(relu: relu), [a, b], threads: 2)
            #expect(fast == reference, "\(count)")
        }
    }

    @Test(arguments: [false, true])
    func concatMatchesReference(relu: Bool) throws {
        var random = SeededRandom(seed: 5)
        for plane in testPlanes {
            let inputs = [3, 1, 8].map { random.tensor(Shape(n: 2, c: $0, h: plane.h, w: plane.w)) }
            let (fast, reference) = try runBoth(.concat(relu: relu), inputs, threads: 2)
            #expect(fast == reference, "\(plane)")
        }
    }

    @Test func concatWithReluOfKnownNumbers() {
        let a = Tensor(shape: Shape(n: 1, c: 1, h: 1, w: 2), storage: [-1, 2])
        let b = Tensor(shape: Shape(n: 1, c: 2, h: 1, w: 2), storage: [3, -4, 5, 6])
        let y = Kernels.run(.concat(relu: true), inputs: [a, b], outputShape: Shape(n: 1, c: 3, h: 1, w: 2))
        #expect(y.storage == [0, 2, 3, 0, 5, 6])
    }

    @Test(arguments: [(1, 1), (7, 3), (33, 10), (27, 9), (960, 1000), (100, 37)], InstructionSet.available)
    func linearMatchesReference(size: (inputs: Int, outputs: Int), instructionSet: InstructionSet) throws {
        let (inputs, outputs) = size
        var random = SeededRandom(seed: UInt64(inputs))
        let linear = Linear(inputFeatures: inputs, outputFeatures: outputs, weight: random.floats(inputs * outputs), bias: random.floats(outputs))
        for batch in [1, 2] {
            let input = random.tensor(Shape(n: batch, c: inputs, h: 1, w: 1))
            let (fast, reference) = try runBoth(.linear(linear), [input], threads: 2, instructionSet: instructionSet)
            #expect(relativeError(fast, reference) < 1e-5, "\(instructionSet) \(inputs)→\(outputs) n\(batch)")
        }
    }

    @Test func linearOfKnownNumbers() {
        let linear = Linear(inputFeatures: 3, outputFeatures: 2, weight: [1, 0, -1, 2, 2, 2], bias: [0, 1])
        let input = Tensor(shape: Shape(n: 1, c: 3, h: 1, w: 1), storage: [4, 5, 6])
        let y = Kernels.run(.linear(linear), inputs: [input], outputShape: Shape(n: 1, c: 2, h: 1, w: 1))
        #expect(y.storage == [-2, 31])
    }

    /// The classifier's packed order: in each whole block of four rows, 16 features of every row,
    /// then 8, then one column of four at a time; the rows after the last block as they were.
    @Test func linearPackingOrder() {
        let features = 25, outputs = 5
        let weight = (0..<(features * outputs)).map { Float($0) }
        let packed = LinearRows.packed(weight, features: features, outputs: outputs)
        func w(_ row: Int, _ i: Int) -> Float { Float(row * features + i) }
        var expected: [Float] = []
        for row in 0..<4 { expected += (0..<16).map { w(row, $0) } }
        for row in 0..<4 { expected += (16..<24).map { w(row, $0) } }
        expected += (0..<4).map { w($0, 24) }
        expected += (0..<features).map { w(4, $0) }
        #expect(packed == expected)
    }

    @Test func softmaxMatchesReference() throws {
        var random = SeededRandom(seed: 6)
        let input = Tensor(shape: Shape(n: 2, c: 1000, h: 1, w: 1), storage: random.floats(2000).map { $0 * 30 })
        let (fast, reference) = try runBoth(.softmax, [input])
        #expect(relativeError(fast, reference) < 1e-5)
    }

    @Test func softmaxOfKnownNumbers() {
        // exp(0) : exp(ln 3) = 1 : 3.
        let input = Tensor(shape: Shape(n: 1, c: 2, h: 1, w: 1), storage: [0, Float(Foundation.log(3.0))])
        let y = Kernels.run(.softmax, inputs: [input], outputShape: input.shape)
        #expect(abs(y.storage[0] - 0.25) < 1e-6 && abs(y.storage[1] - 0.75) < 1e-6)
    }
}
