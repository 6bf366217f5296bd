import ShuffleEngine

/// One row per graph step with its cost, plus totals, as a table, JSON or CSV.
public struct ModelSummary: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case table, json, csv
    }

    public struct Step: Sendable, Equatable {
        public var name: String
        /// `Op.kind`: `conv3x3`, `gconv1x1`, `dwconv3x3`, `shuffle`, ...
        public var op: String
        public var shape: Shape
        public var parameters: Int
        public var multiplyAdds: Int
        /// The authors' module with the same output, if any.
        public var source: String?
    }

    public let configuration: ShuffleNetConfiguration
    public let weightsDescription: String
    public let isTrained: Bool
    public let steps: [Step]

    public init(model: ShuffleNetModel) {
        configuration = model.configuration
        weightsDescription = model.weightsDescription
        isTrained = model.isTrained
        steps = model.graph.nodes.map {
            Step(
                name: $0.name, op: $0.op.kind, shape: $0.outputShape, parameters: $0.parameterCount,
                multiplyAdds: $0.multiplyAdds, source: $0.source)
        }
    }

    /// PyTorch's parameter count of the whole network.
    public var totalParameters: Int { steps.reduce(0) { $0 + $1.parameters } }
    /// Multiply-adds of convolutions and the classifier.
    public var totalMultiplyAdds: Int { steps.reduce(0) { $0 + $1.multiplyAdds } }
    /// Multiply-adds of the convolutions alone: the paper's "FLOPs".
    public var convolutionMultiplyAdds: Int {
        totalMultiplyAdds - steps.filter { $0.op == "linear" }.reduce(0) { $0 + $1.multiplyAdds }
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .table: return table()
        case .json: return json()
        case .csv: return csv()
        }
    }

    /// Aligned columns for a terminal, numbers with thousands separators.
    public func table() -> String {
        let header = ["step", "op", "output", "params", "MACs", "source"]
        var rows = steps.map { step in
            [
                step.name, step.op, step.shape.compactDescription, Self.grouped(step.parameters),
                Self.grouped(step.multiplyAdds), step.source ?? "",
            ]
        }
        rows.append(["total", "", "", Self.grouped(totalParameters), Self.grouped(totalMultiplyAdds), ""])
        rows.append(["convolutions only", "", "", "", Self.grouped(convolutionMultiplyAdds), "(the paper's FLOPs)"])
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        let rightAligned: Set<Int> = [3, 4]
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }
            return String(padded.joined(separator: "  ").reversed().drop { $0 == " " }.reversed())
        }
        var lines = ["\(configuration); \(weightsDescription)", "", line(header)]
        lines += rows.prefix(steps.count).map(line)
        lines.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)))
        lines += rows.suffix(2).map(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"model": {...}, "steps": [...], "totals": {...}}`, one step per line.
    public func json() -> String {
        let model = [
            "\"name\":\"ShuffleNet v1\"", "\"groups\":\(configuration.groups)", "\"width\":\(configuration.width)",
            "\"widths\":\(JSONText.array(configuration.widths))", "\"input_size\":[\(configuration.inputSize.height),\(configuration.inputSize.width)]",
            "\"classes\":\(configuration.classes)", "\"shuffle\":\(JSONText.quote(configuration.shuffle.optionName))",
            "\"weights\":\(JSONText.quote(weightsDescription))", "\"trained\":\(isTrained)",
        ]
        let stepLines = steps.map { step in
            "    {\"name\":\(JSONText.quote(step.name)),\"op\":\(JSONText.quote(step.op)),\"shape\":\(JSONText.array(step.shape.dims)),"
                + "\"params\":\(step.parameters),\"macs\":\(step.multiplyAdds),\"source\":\(step.source.map(JSONText.quote) ?? "null")}"
        }
        return "{\n  \"model\": {" + model.joined(separator: ",") + "},\n  \"steps\": [\n"
            + stepLines.joined(separator: ",\n")
            + "\n  ],\n  \"totals\": {\"params\":\(totalParameters),\"macs\":\(totalMultiplyAdds),\"conv_macs\":\(convolutionMultiplyAdds)}\n}\n"
    }

    /// `name,op,shape,params,macs,source`, shape as `1x24x112x112`, then a `total` row.
    public func csv() -> String {
        var lines = ["name,op,shape,params,macs,source"]
        lines += steps.map { step in
            let shape = step.shape.dims.map(String.init).joined(separator: "x")
            return "\(step.name),\(step.op),\(shape),\(step.parameters),\(step.multiplyAdds),\(step.source ?? "")"
        }
        lines.append("total,,,\(totalParameters),\(totalMultiplyAdds),")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `1,864,728`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }
}
