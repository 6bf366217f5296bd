import ArgumentParser
import Glibc
import Inspector
import TerminalBackend

/// `shufflescope terminal-check`: a tiny screen that exercises the terminal backend (size,
/// colour mode, key decoding, half blocks and box drawing) without loading a model.
struct TerminalCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminal-check",
        abstract: "Show what the terminal backend sees: size, colour mode and decoded keys.",
        shouldDisplay: false
    )

    @Option(help: "Colour mode: truecolor, 256, 16, 8 or none (default: detected).")
    var color: String?

    func validate() throws {
        if let color, ColorMode(rawValue: color) == nil {
            throw ValidationError("unknown colour mode '\(color)'; use truecolor, 256, 16, 8 or none")
        }
    }

    func run() throws {
        let application = TerminalCheckApplication(processIdentifier: Int(getpid()))
        do {
            try CursesTerminal.run(application, colorMode: color.flatMap(ColorMode.init(rawValue:)))
        } catch {
            let line = Array((error.description + "\n").utf8)
            _ = line.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            throw ExitCode.failure
        }
    }
}

/// Shows the size, the colour mode, the last key and a colour sample; `q` quits and `b` toggles
/// a busy state in which the backend calls `tick()` (counted on screen) about every 100 ms.
final class TerminalCheckApplication: TerminalApplication {
    private let processIdentifier: Int
    private var lastKey = "none"
    private var keyCount = 0
    private var busy = false
    private var ticks = 0

    init(processIdentifier: Int) {
        self.processIdentifier = processIdentifier
    }

    var isBusy: Bool { busy }

    func tick() -> Bool {
        ticks += 1
        return true
    }

    func handle(_ key: Key) -> ApplicationResponse {
        if key == .character("q") { return .quit }
        if key == .character("b") { busy.toggle() }
        lastKey = Self.describe(key)
        keyCount += 1
        return .redraw
    }

    func render(width: Int, height: Int, colorMode: ColorMode) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        // Most useful first, so the smallest screens still show the size.
        grid.put("size \(width)x\(height)", x: 0, y: 0, style: CellStyle(bold: true))
        grid.put("colours \(colorMode.rawValue)", x: 0, y: 1)
        grid.put("key \(lastKey) (\(keyCount))", x: 0, y: 2)
        grid.put("pid \(processIdentifier)", x: 0, y: 3)
        grid.put("terminal check · q quits · b busy", x: 0, y: 4, style: CellStyle(dim: true))

        // Each cell shows two colours: the upper half block in the foreground, the lower half in
        // the background. Without colour, an ASCII ramp stands in.
        let ramp = Array(" .:-=+*#%@")
        for column in 0..<32 {
            let fraction = Double(column) / 31
            if colorMode.hasColor {
                let style = CellStyle(
                    foreground: TerminalColor(red: fraction, green: 0.2, blue: 1 - fraction),
                    background: TerminalColor(red: 0.1, green: fraction, blue: 0.3)
                )
                grid.put("▀", x: column, y: 5, style: style)
            } else {
                grid.put(String(ramp[min(ramp.count - 1, Int(fraction * Double(ramp.count)))]), x: column, y: 5)
            }
        }
        grid.put("┌──┐ ▀▄█ ·", x: 0, y: 6)
        grid.put("└──┘", x: 0, y: 7)
        var column = 11
        for (label, style) in [
            ("bold", CellStyle(bold: true)), ("dim", CellStyle(dim: true)),
            ("underline", CellStyle(underline: true)), ("reverse", CellStyle(reverse: true)),
        ] {
            column = grid.put(label, x: column, y: 7, style: style) + 1
        }
        grid.put("ticks \(ticks) \(busy ? "busy" : "idle")", x: 0, y: 8)
        return grid
    }

    static func describe(_ key: Key) -> String {
        switch key {
        case .character(let character): return "character \(character)"
        case .control(let letter): return "control \(letter)"
        case .up: return "up"
        case .down: return "down"
        case .left: return "left"
        case .right: return "right"
        case .pageUp: return "page-up"
        case .pageDown: return "page-down"
        case .home: return "home"
        case .end: return "end"
        case .enter: return "enter"
        case .escape: return "escape"
        case .backspace: return "backspace"
        case .tab: return "tab"
        case .backTab: return "back-tab"
        case .function(let number): return "F\(number)"
        case .resize: return "resize"
        case .mouse(let x, let y): return "mouse \(x),\(y)"
        case .unknown(let code): return "unknown \(code)"
        }
    }
}
