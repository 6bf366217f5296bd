import Foundation
import Testing

@Suite struct NonTerminalTests {
    /// With pipes instead of a terminal the program must say so in one line and stop at once
    /// (`Subprocess.run` fails the test if it is still running after 10 s), writing no terminal
    /// control sequences.
    @Test func refusesToRunWithoutATerminal() throws {
        let result = try Subprocess.run(try ShufflescopeBinary.url().path, ["terminal-check"])
        #expect(result.status == 1)
        #expect(result.output == "")
        #expect(
            result.errorOutput
                == "shufflescope: the inspector needs a terminal (stdin and stdout must be a TTY); "
                + "try `shufflescope summary`, `infer`, `render`, `bench` or `profile`\n")
    }
}
