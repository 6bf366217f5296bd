import Foundation
import Inspector
import ShuffleEngine
import ShuffleModel

extension InspectorSetup {
    /// The inspector's view of a loaded model and input.
    init(_ run: LoadedRun, inputDescription: String) {
        let model = run.model
        let classes = BundledAssets.imageNetClasses
        self.init(
            modelDescription: "\(model.name) · \(model.inputSize.dimensions)",
            weightsDescription: model.weightsDescription, isTrained: model.isTrained,
            inputDescription: "\(inputDescription) (\(run.preparationDescription))", groups: model.shuffleGroups,
            convention: model.shuffle, input: run.input,
            labels: model.classes == classes.count ? classes : nil,
            makeGraph: { convention in model.rebuilt(shuffle: convention).graph })
        threads = ProcessInfo.processInfo.activeProcessorCount
    }
}
