/// Where the parts of the screen go at a given size.
struct FrameLayout: Equatable {
    /// Below this the inspector shows only a request to enlarge the terminal.
    static let minimumWidth = 60
    static let minimumHeight = 16

    let width: Int
    let height: Int
    let header: Rect
    let list: Rect
    /// Column of the line between the list and the main view.
    let separatorX: Int
    let main: Rect
    /// The ablation comparison panel, below the main view (empty when the ablation is off).
    let panel: Rect
    let footer: Rect

    var isTooSmall: Bool { width < FrameLayout.minimumWidth || height < FrameLayout.minimumHeight }

    init(width: Int, height: Int, ablation: Bool) {
        self.width = max(0, width)
        self.height = max(0, height)
        header = Rect(x: 0, y: 0, width: width, height: 2)
        footer = Rect(x: 0, y: height - 1, width: width, height: 1)
        let bodyY = 2, bodyHeight = max(0, height - 3)
        let listWidth = min(50, max(26, width * 33 / 100))
        list = Rect(x: 0, y: bodyY, width: listWidth, height: bodyHeight)
        separatorX = listWidth
        let mainX = listWidth + 1
        let mainWidth = max(0, width - mainX)
        let panelHeight = ablation ? min(9, max(0, bodyHeight / 3)) : 0
        main = Rect(x: mainX, y: bodyY, width: mainWidth, height: bodyHeight - panelHeight)
        panel = Rect(x: mainX, y: bodyY + bodyHeight - panelHeight, width: mainWidth, height: panelHeight)
    }
}
