import ArgumentParser

@main
struct Shufflescope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shufflescope",
        abstract: "Step through a ShuffleNet forward pass and see every layer.",
        version: ShufflescopeVersion.text,
        subcommands: [
            InspectCommand.self,
            SummaryCommand.self,
            InferCommand.self,
            RenderCommand.self,
            BenchCommand.self,
            ProfileCommand.self,
            ModelsCommand.self,
            ConvertCommand.self,
            DiffCommand.self,
            TerminalCheck.self,
        ],
        defaultSubcommand: InspectCommand.self
    )
}

/// The version `--version` prints.
enum ShufflescopeVersion {
    static let number = "0.3.0"
    static var text: String { "shufflescope \(number)" }
}
