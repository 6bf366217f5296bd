import ArgumentParser

@main
struct Shufflescope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shufflescope",
        abstract: "Step through a ShuffleNet forward pass and see every layer.",
        subcommands: [
            InspectCommand.self,
            SummaryCommand.self,
            InferCommand.self,
            RenderCommand.self,
            BenchCommand.self,
            ProfileCommand.self,
            DiffCommand.self,
            TerminalCheck.self,
        ],
        defaultSubcommand: InspectCommand.self
    )
}
