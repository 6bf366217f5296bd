import Testing
@testable import ShuffleModel
