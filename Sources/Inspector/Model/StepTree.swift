import ShuffleEngine

/// The step list as a tree — sections (stem, stages, head), units, steps — read from the places
/// the builder gave every node (`NodePlace`), never from names.
struct StepTree: Equatable, Sendable {
    typealias Place = NodePlace

    struct Unit: Equatable, Sendable {
        var name: String
        /// Node indices of the unit's steps, contiguous.
        var steps: Range<Int>
    }

    struct Section: Equatable, Sendable {
        var name: String
        var steps: Range<Int>
        var units: [Unit]
    }

    /// One row of the visible list.
    enum Row: Equatable, Sendable {
        case section(Int)
        case unit(section: Int, unit: Int, expanded: Bool)
        /// A step at an indentation depth (1 in a section, 2 in a unit).
        case step(Int, depth: Int)
    }

    let places: [Place]
    let sections: [Section]
    /// First step of every unit and of every run of steps outside units, ascending.
    let blockStarts: [Int]
    /// First step of every section, ascending.
    let sectionStarts: [Int]

    init(places: [NodePlace]) {
        self.places = places
        var sections: [Section] = []
        for (index, place) in places.enumerated() {
            if let last = sections.last, last.name == place.section, last.steps.upperBound == index {
                sections[sections.count - 1].steps = last.steps.lowerBound..<(index + 1)
            } else {
                sections.append(Section(name: place.section, steps: index..<(index + 1), units: []))
            }
            guard let unit = place.unit else { continue }
            let s = sections.count - 1
            if let lastUnit = sections[s].units.last, lastUnit.name == unit, lastUnit.steps.upperBound == index {
                sections[s].units[sections[s].units.count - 1].steps = lastUnit.steps.lowerBound..<(index + 1)
            } else {
                sections[s].units.append(Unit(name: unit, steps: index..<(index + 1)))
            }
        }
        self.sections = sections
        sectionStarts = sections.map(\.steps.lowerBound)
        var starts: [Int] = []
        for index in places.indices {
            let isUnitStart = sections.contains { $0.units.contains { $0.steps.lowerBound == index } }
            let startsLooseRun = places[index].unit == nil && (index == 0 || places[index - 1].unit != nil
                || places[index - 1].section != places[index].section)
            if isUnitStart || startsLooseRun || sectionStarts.contains(index) { starts.append(index) }
        }
        blockStarts = starts
    }

    /// Section and unit indices holding `step`, if it lies in a unit.
    func unit(containing step: Int) -> (section: Int, unit: Int)? {
        for (s, section) in sections.enumerated() where section.steps.contains(step) {
            if let u = section.units.firstIndex(where: { $0.steps.contains(step) }) { return (s, u) }
        }
        return nil
    }

    func section(containing step: Int) -> Int? { sections.firstIndex { $0.steps.contains(step) } }

    /// The visible rows: every section, units folded to one row unless `expandAll` or they hold
    /// `current` (or `alsoOpen`, the highlighted search match).
    func rows(current: Int, expandAll: Bool, alsoOpen: Int? = nil) -> [Row] {
        var rows: [Row] = []
        for (s, section) in sections.enumerated() {
            rows.append(.section(s))
            var step = section.steps.lowerBound
            while step < section.steps.upperBound {
                if let u = section.units.firstIndex(where: { $0.steps.lowerBound == step }) {
                    let unit = section.units[u]
                    let expanded = expandAll || unit.steps.contains(current) || alsoOpen.map(unit.steps.contains) == true
                    rows.append(.unit(section: s, unit: u, expanded: expanded))
                    if expanded { rows += unit.steps.map { .step($0, depth: 2) } }
                    step = unit.steps.upperBound
                } else {
                    rows.append(.step(step, depth: 1))
                    step += 1
                }
            }
        }
        return rows
    }
}
