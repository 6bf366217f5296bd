/// One line of the help overlay: the keys as shown, and what they do.
struct KeyBinding: Equatable, Sendable {
    var keys: String
    var action: String
}

/// Every key the inspector understands, in the order the help overlay lists them. Tests walk this
/// list, so a key added here without a test shows up as a gap.
enum KeyBindings {
    static let all: [KeyBinding] = [
        KeyBinding(keys: "n → l", action: "next step (runs it)"),
        KeyBinding(keys: "p ← h", action: "previous step (outputs are kept)"),
        KeyBinding(keys: "j ↓ / k ↑", action: "next / previous step in the list"),
        KeyBinding(keys: "] [ PgDn PgUp", action: "next / previous unit"),
        KeyBinding(keys: "} {", action: "next / previous stage"),
        KeyBinding(keys: "g Home / G End", action: "first / last step"),
        KeyBinding(keys: "s", action: "run to the next shuffle"),
        KeyBinding(keys: "c", action: "continue to the end"),
        KeyBinding(keys: "/", action: "find a step (Enter jump, Tab next, Esc cancel)"),
        KeyBinding(keys: "Enter +", action: "zoom in: groups → group → channel"),
        KeyBinding(keys: "Esc -", action: "zoom out"),
        KeyBinding(keys: "Tab S-Tab", action: "next / previous group (channel when zoomed in)"),
        KeyBinding(keys: "arrows hjkl", action: "zoomed in: move the channel / pixel cursor"),
        KeyBinding(keys: "N", action: "normalise per layer / group / channel / layer 1–99 %"),
        KeyBinding(keys: "m", action: "colour map: viridis / magma / grey / diverging"),
        KeyBinding(keys: "f", action: "focus: one channel at full size beside the input"),
        KeyBinding(keys: "b", action: "focus: one channel / mean of its group"),
        KeyBinding(keys: "C < >", action: "focus: class activation map, class of the top 5"),
        KeyBinding(keys: "v 1 2 3 4", action: "view: heatmaps, shuffle, profile, feature reuse"),
        KeyBinding(keys: "o", action: "profile sort: order / time / MACs"),
        KeyBinding(keys: "r", action: "re-run the profile"),
        KeyBinding(keys: "a", action: "shuffle ablation on / off"),
        KeyBinding(keys: "d / e", action: "compare mode on / off; next step where error grows 10×"),
        KeyBinding(keys: "z", action: "unfold / fold all units"),
        KeyBinding(keys: "?", action: "this help (Esc or ? closes)"),
        KeyBinding(keys: "q Ctrl-C", action: "quit"),
    ]
}
