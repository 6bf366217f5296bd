import Foundation
import Testing

@Suite struct NonTerminalTests {
    static let refusal =
        "shufflescope: the inspector needs a terminal (stdin and stdout must be a TTY); "
        + "try `shufflescope summary`, `infer`, `render`, `bench` or `profile`\n"

    /// With pipes instead of a terminal the program must say so in one line and stop at once
    /// (`Subprocess.run` fails the test if it is still running after 10 s), writing no terminal
    /// control sequences.
    @Test func refusesToRunWithoutATerminal() throws {
        let result = try Subprocess.run(try ShufflescopeBinary.url().path, ["terminal-check"])
        #expect(result.status == 1)
        #expect(result.output == "")
        #expect(result.errorOutput == Self.refusal)
    }

    /// The inspector, as the default command and by name, refuses before it loads anything: with
    /// weights and an input that do not exist, the only complaint is the missing terminal.
    @Test(arguments: [[], ["inspect"]])
    func inspectorRefusesBeforeLoadingTheModel(_ command: [String]) throws {
        let binary = try ShufflescopeBinary.url().path
        let result = try Subprocess.run(binary, command + ["--weights", "/nonexistent/w.safetensors", "--input", "/nonexistent/x.png"])
        #expect(result.status == 1)
        #expect(result.output == "")
        #expect(result.errorOutput == Self.refusal)

        let plain = try Subprocess.run(binary, command)
        #expect(plain.status == 1)
        #expect(plain.output == "")
        #expect(plain.errorOutput == Self.refusal)
    }
}
