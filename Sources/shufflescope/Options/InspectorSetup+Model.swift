import Foundation
import Inspector
import ShuffleEngine
import ShuffleModel

extension InspectorSetup {
    /// The inspector's view of a loaded model and input.
    init(_ run: LoadedRun, inputDescription: String) {
        let model = run.model
        let configuration = model.configuration
        let classes = BundledAssets.imageNetClasses
        self.init(
            modelDescription: "ShuffleNet v1 \(ShuffleNetConfiguration.label(width: configuration.width)) "
                + "g=\(configuration.groups) · \(configuration.inputSize.dimensions)",
            weightsDescription: model.weightsDescription, isTrained: model.isTrained,
            inputDescription: "\(inputDescription) (\(run.preparation))", groups: configuration.groups,
            convention: configuration.shuffle, input: run.input,
            labels: configuration.classes == classes.count ? classes : nil,
            makeGraph: { convention in model.rebuilt(shuffle: convention).graph })
        threads = ProcessInfo.processInfo.activeProcessorCount
    }
}
