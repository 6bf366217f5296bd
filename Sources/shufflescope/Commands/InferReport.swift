import Foundation
import ShuffleEngine
import ShuffleModel

/// The top classes of one pass: softmax probabilities over the logits, best first.
struct Ranking {
    struct Entry {
        var index: Int
        var logit: Float
        var probability: Double
    }

    var entries: [Entry]

    init(logits: [Float], top: Int) {
        let largest = logits.max() ?? 0
        let exps = logits.map { exp(Double($0 - largest)) }
        let total = exps.reduce(0, +)
        let order = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        entries = order.prefix(top).map { Entry(index: $0, logit: logits[$0], probability: exps[$0] / total) }
    }
}

/// What `infer` prints, as a table or JSON.
struct InferReport {
    var inputDescription: String
    /// The loaded model and input.
    var run: LoadedRun
    var model: any ShuffleNetwork { run.model }
    var ranking: Ranking
    var seconds: Double

    /// ImageNet names when the classifier has 1000 outputs.
    func label(_ index: Int) -> String? {
        model.classes == BundledAssets.imageNetClasses.count ? BundledAssets.imageNetClasses[index] : nil
    }

    func table() -> String {
        var lines = [
            "model:  \(model.configurationDescription)",
            "weights: \(model.weightsDescription)",
            "input:  \(inputDescription) (\(run.preparationDescription))",
            String(format: "pass:   %.2f ms (step-wise, every output kept)", seconds * 1000),
        ]
        if !model.isTrained { lines.append("note:   the weights are untrained, so the classes below mean nothing") }
        lines.append("")
        lines.append(" rank  class  probability      logit  label")
        for (rank, entry) in ranking.entries.enumerated() {
            lines.append(
                String(format: "%5d  %5d  %11.4f  %9.4f  ", rank + 1, entry.index, entry.probability, Double(entry.logit))
                    + (label(entry.index) ?? "-"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The preset's name, or null for a .npy input used as is.
    var preprocessingJSON: String {
        run.preprocessed ? JSONText.quote(run.preparation.preprocessing.rawValue) : "null"
    }

    func json() -> String {
        let top = ranking.entries.enumerated().map { rank, entry in
            let name = label(entry.index).map { "\(JSONText.quote($0))" } ?? "null"
            return "{\"rank\":\(rank + 1),\"class\":\(entry.index),\"label\":\(name),"
                + "\"probability\":\(JSONText.number(entry.probability)),\"logit\":\(JSONText.number(Double(entry.logit)))}"
        }
        return "{\"model\":\(model.json),"
            + "\"input\":\(JSONText.quote(inputDescription)),\"preprocessing\":\(preprocessingJSON),"
            + "\"seconds\":\(JSONText.number(seconds)),\"top\":[" + top.joined(separator: ",") + "]}\n"
    }
}
