import ShuffleEngine
import ShuffleModel

/// The `model` object every JSON report carries (summary, infer, bench, profile): the same
/// fields in the same order as `shufflescope summary --format json`.
enum ModelJSON {
    static func object(_ model: ShuffleNetModel) -> String {
        let configuration = model.configuration
        let fields = [
            "\"name\":\"ShuffleNet v1\"", "\"groups\":\(configuration.groups)", "\"width\":\(configuration.width)",
            "\"widths\":\(JSONText.array(configuration.widths))",
            "\"input_size\":[\(configuration.inputSize.height),\(configuration.inputSize.width)]",
            "\"classes\":\(configuration.classes)", "\"shuffle\":\(JSONText.quote(configuration.shuffle.optionName))",
            "\"weights\":\(JSONText.quote(model.weightsDescription))", "\"trained\":\(model.isTrained)",
        ]
        return "{" + fields.joined(separator: ",") + "}"
    }
}
