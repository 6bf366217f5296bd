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
        /// The ShuffleNet v2 paper's memory access cost in elements (inputs + output + weights).
        public var memoryAccess: Int
        /// The checkpoint module with the same output, if any.
        public var source: String?
    }

    public let model: any ShuffleNetwork
    public let steps: [Step]

    public init(model: any ShuffleNetwork) {
        self.model = model
        let graph = model.graph
        steps = graph.nodes.map {
            Step(
                name: $0.name, op: $0.op.kind, shape: $0.outputShape, parameters: $0.parameterCount,
                multiplyAdds: $0.multiplyAdds, memoryAccess: ProfileReport.memoryAccessCost(of: $0, in: graph),
                source: $0.source)
        }
    }

    /// Memory access cost of the whole pass, in elements.
    public var totalMemoryAccess: Int { steps.reduce(0) { $0 + $1.memoryAccess } }

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
        let header = ["step", "op", "output", "params", "MACs", "mem access", "FLOP %", "mem %", "source"]
        let totalFLOPs = Double(max(1, totalMultiplyAdds)), totalMemory = Double(max(1, totalMemoryAccess))
        func share(_ part: Int, _ whole: Double) -> String { String(format: "%.1f", Double(part) / whole * 100) }
        var rows = steps.map { step in
            [
                step.name, step.op, step.shape.compactDescription, Self.grouped(step.parameters),
                Self.grouped(step.multiplyAdds), Self.grouped(step.memoryAccess), share(step.multiplyAdds, totalFLOPs),
                share(step.memoryAccess, totalMemory), step.source ?? "",
            ]
        }
        rows.append([
            "total", "", "", Self.grouped(totalParameters), Self.grouped(totalMultiplyAdds),
            Self.grouped(totalMemoryAccess), "100.0", "100.0", "",
        ])
        rows.append(["convolutions only", "", "", "", Self.grouped(convolutionMultiplyAdds), "", "", "", "(the paper's FLOPs)"])
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        let rightAligned: Set<Int> = [3, 4, 5, 6, 7]
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }
            return String(padded.joined(separator: "  ").reversed().drop { $0 == " " }.reversed())
        }
        var lines = [
            "\(model.configurationDescription); \(model.weightsDescription)",
            "mem access: the ShuffleNet v2 paper's memory access cost, elements read and written (inputs, output, weights)",
            "", line(header),
        ]
        lines += rows.prefix(steps.count).map(line)
        lines.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)))
        lines += rows.suffix(2).map(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"model": {...}, "steps": [...], "totals": {...}}`, one step per line.
    public func json() -> String {
        let stepLines = steps.map { step in
            "    {\"name\":\(JSONText.quote(step.name)),\"op\":\(JSONText.quote(step.op)),\"shape\":\(JSONText.array(step.shape.dims)),"
                + "\"params\":\(step.parameters),\"macs\":\(step.multiplyAdds),\"mem_access\":\(step.memoryAccess),"
                + "\"source\":\(step.source.map(JSONText.quote) ?? "null")}"
        }
        return "{\n  \"model\": \(model.json),\n  \"steps\": [\n"
            + stepLines.joined(separator: ",\n")
            + "\n  ],\n  \"totals\": {\"params\":\(totalParameters),\"macs\":\(totalMultiplyAdds),\"conv_macs\":\(convolutionMultiplyAdds),"
            + "\"mem_access\":\(totalMemoryAccess)}\n}\n"
    }

    /// `name,op,shape,params,macs,mem_access,source`, shape as `1x24x112x112`, then a `total` row.
    public func csv() -> String {
        var lines = ["name,op,shape,params,macs,mem_access,source"]
        lines += steps.map { step in
            let shape = step.shape.dims.map(String.init).joined(separator: "x")
            return "\(step.name),\(step.op),\(shape),\(step.parameters),\(step.multiplyAdds),\(step.memoryAccess),\(step.source ?? "")"
        }
        lines.append("total,,,\(totalParameters),\(totalMultiplyAdds),\(totalMemoryAccess),")
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
