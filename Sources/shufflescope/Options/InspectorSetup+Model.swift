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
            inputDescription: InspectorSetup.describe(inputDescription, run.preparationDescription),
            groups: model.shuffleGroups, convention: model.shuffle, input: run.input,
            labels: model.classes == classes.count ? classes : nil,
            makeGraph: { convention in model.rebuilt(shuffle: convention).graph })
        threads = ProcessInfo.processInfo.activeProcessorCount
        if run.preprocessed { inputPixels = run.preparation.preprocessing == .authors ? .bgr255 : .rgbImageNet }
    }

    /// "chelsea.jpg (bundled, authors preprocessing)": one pair of parentheses after the name.
    static func describe(_ input: String, _ preparation: String) -> String {
        guard input.hasSuffix(")"), let open = input.range(of: " (", options: .backwards) else {
            return "\(input) (\(preparation))"
        }
        return input[..<open.lowerBound] + " (" + input[open.upperBound...].dropLast() + ", \(preparation))"
    }
}
