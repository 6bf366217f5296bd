import Testing
@testable import ShuffleEngine

@Suite struct ShuffleConventionTests {
    @Test func paperConventionInterleavesGroups() {
        let order = (0..<6).map { Reference.shuffleSource(of: $0, channels: 6, groups: 2, convention: .paper) }
        #expect(order == [0, 3, 1, 4, 2, 5])
    }

    @Test func authorsConventionIsTheInverse() {
        let order = (0..<6).map { Reference.shuffleSource(of: $0, channels: 6, groups: 2, convention: .authors) }
        #expect(order == [0, 2, 4, 1, 3, 5])
    }
}
