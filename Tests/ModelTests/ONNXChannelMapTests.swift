import ShuffleEngine
import Testing
@testable import ShuffleModel

/// Reading shuffles and splits off channel maps, and off the views ONNX's data movement makes.
@Suite struct ONNXChannelMapTests {
    static func permutation(_ channels: Int, _ groups: Int, _ convention: ShuffleConvention) -> [Int] {
        (0..<channels).map { Reference.shuffleSource(of: $0, channels: channels, groups: groups, convention: convention) }
    }

    @Test func shufflesAndSlicesAreExplained() throws {
        // v1 g=3 with 60 channels, the authors' convention: g = 3 is the smaller reading.
        let v1 = try #require(ONNXChannelMap.explain(Self.permutation(60, 3, .authors), sourceChannels: 60))
        #expect(v1.shuffle?.groups == 3 && v1.shuffle?.convention == .authors && v1.slice == nil)
        // The authors' v2 split: even channels, then odd ones.
        let even = try #require(ONNXChannelMap.explain(Array(stride(from: 0, to: 116, by: 2)), sourceChannels: 116))
        #expect(even.shuffle?.groups == 2 && even.shuffle?.convention == .authors && even.slice == 0..<58)
        let odd = try #require(ONNXChannelMap.explain(Array(stride(from: 1, to: 116, by: 2)), sourceChannels: 116))
        #expect(odd.slice == 58..<116)
        // A contiguous half is a slice alone; every channel in order is nothing at all.
        #expect(ONNXChannelMap.explain(Array(58..<116), sourceChannels: 116) == .init(shuffle: nil, slice: 58..<116))
        #expect(ONNXChannelMap.explain(Array(0..<116), sourceChannels: 116) == .init(shuffle: nil, slice: nil))
        // A reversal is no shuffle.
        #expect(ONNXChannelMap.explain(Array((0..<8).reversed()), sourceChannels: 8) == nil)
    }

    @Test func torchvisionsViewTransposeViewIsThePapersShuffle() throws {
        let source = Shape(n: 2, c: 6, h: 2, w: 3)
        let view = ONNXActivation(source: .graphInput, shape: source)
            .reshaped([2, 2, 3, 2, 3]).transposed([0, 2, 1, 3, 4]).reshaped([2, 6, 2, 3])
        let map = try #require(ONNXChannelMap.channels(of: view))
        #expect(map == Self.permutation(6, 2, .paper))
    }

    @Test func aViewMixingImagesOrPixelsIsNoChannelMap() {
        let source = Shape(n: 2, c: 4, h: 2, w: 2)
        let images = ONNXActivation(source: .graphInput, shape: source).transposed([1, 0, 2, 3]).reshaped([2, 4, 2, 2])
        #expect(ONNXChannelMap.channels(of: images) == nil)
        let pixels = ONNXActivation(source: .graphInput, shape: source).transposed([0, 1, 3, 2])
        #expect(ONNXChannelMap.channels(of: pixels) == nil)
    }

    @Test func theConvolutionGroupsDecideBetweenTheTwoReadings() {
        let conv = Convolution(
            inputChannels: 6, outputChannels: 6, kernelSize: 1, stride: 1, padding: 0, groups: 3, relu: false,
            weight: [Float](repeating: 0, count: 12), bias: [Float](repeating: 0, count: 6))
        let shape = Shape(n: 1, c: 6, h: 1, w: 1)
        let nodes = [
            Node(name: "pw", op: .convolution(conv), inputs: [.graphInput], outputShape: shape),
            Node(name: "shuffle", op: .channelShuffle(groups: 2, convention: .paper), inputs: [.node(0)], outputShape: shape),
        ]
        let fixed = ONNXChannelMap.matchingConvolutionGroups(nodes)
        #expect(fixed[1].op == .channelShuffle(groups: 3, convention: .authors))
        #expect(Self.permutation(6, 2, .paper) == Self.permutation(6, 3, .authors), "the same permutation")
    }
}
