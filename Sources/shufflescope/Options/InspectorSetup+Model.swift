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
            inputDescription: InspectorSetup.describe(inputDescription, run.preparation), groups: configuration.groups,
            convention: configuration.shuffle, input: run.input,
            labels: configuration.classes == classes.count ? classes : nil,
            makeGraph: { convention in model.rebuilt(shuffle: convention).graph })
        threads = ProcessInfo.processInfo.activeProcessorCount
        if run.preprocessed { inputPixels = run.preprocessing == .authors ? .bgr255 : .rgbImageNet }
    }

    /// "chelsea.jpg (bundled, authors preprocessing)": one pair of parentheses after the name.
    static func describe(_ input: String, _ preparation: String) -> String {
        guard input.hasSuffix(")"), let open = input.range(of: " (", options: .backwards) else {
            return "\(input) (\(preparation))"
        }
        return input[..<open.lowerBound] + " (" + input[open.upperBound...].dropLast() + ", \(preparation))"
    }
}
