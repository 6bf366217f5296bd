import ShuffleEngine

extension ShuffleConvention {
    /// Names users type: `paper`, `authors`, `none`.
    public static let optionNames = ["paper", "authors", "none"]

    /// The convention a user named (`disabled` is accepted as another name for `none`).
    public init?(optionName: String) {
        switch optionName.lowercased() {
        case "paper": self = .paper
        case "authors": self = .authors
        case "none", "disabled": self = .disabled
        default: return nil
        }
    }

    /// `paper`, `authors` or `none`.
    public var optionName: String {
        switch self {
        case .paper: return "paper"
        case .authors: return "authors"
        case .disabled: return "none"
        }
    }
}
