/// A district's duty catalogue (事项清单) as its spreadsheet has it: a header row and one row per
/// item (docs/contract.md "Catalogue spreadsheet"). This reads the cells into `CatalogueItem`s; what
/// the items mean together (known owners, unique codes, …) is checked by `JurisdictionFile.validate`
/// on the jurisdiction they become part of, and `problem(for:)` names the row and column of each.
public struct CatalogueSheet: Sendable {
    /// What a column holds.
    public enum Field: String, CaseIterable, Sendable {
        case code, name, keywords, owner
        case coUnits = "co_units"
        case kind, urgency, limit
        case limitKinds = "limit_kinds"
        case basis
        case needsPhotos = "needs_photos"
        case surveyExcluded = "survey_excluded"

        /// The headers that name the field unless a mapping says otherwise: the contract's name and
        /// the usual Chinese ones of a 事项清单.
        public var headers: [String] {
            switch self {
            case .code: return ["code", "事项编码", "事项代码", "编码"]
            case .name: return ["name", "事项名称", "名称"]
            case .keywords: return ["keywords", "关键词", "关键字"]
            case .owner: return ["owner", "责任单位", "主办单位", "承办单位"]
            case .coUnits: return ["co_units", "协办单位", "配合单位", "会办单位"]
            case .kind: return ["kind", "诉求类型", "类型"]
            case .urgency: return ["urgency", "紧急程度", "缓急程度"]
            case .limit: return ["limit", "handle_working_days", "办理时限", "时限", "办理时限（工作日）", "办理时限(工作日)"]
            case .limitKinds: return ["limit_kinds", "handle_kinds", "时限适用类型", "适用类型"]
            case .basis: return ["basis", "依据", "法律依据", "政策依据"]
            case .needsPhotos: return ["needs_photos", "需要照片", "需附照片"]
            case .surveyExcluded: return ["survey_excluded", "不回访", "不纳入满意度"]
            }
        }

        static let required: [Field] = [.code, .name, .keywords, .owner]
    }

    /// A problem of one cell or row, or of the header (row 1).
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The spreadsheet's row: 1 is the header, the first item is row 2.
        public var row: Int
        /// The header of the column, when the problem is one cell's.
        public var column: String?
        public var message: String

        public var description: String {
            "row \(row)" + (column.map { ", column \($0)" } ?? "") + ": \(message)"
        }
    }

    public let header: [String]
    /// The items read, with the row each came from.
    public private(set) var items: [(item: CatalogueItem, row: Int)] = []
    /// The problems of reading (a cell that is no value of its field, a column missing).
    public private(set) var problems: [Problem] = []
    private var columns: [Field: Int] = [:]

    /// Reads `rows` under `header`. `mapping` names the header of a field where the sheet calls it
    /// otherwise; `units` resolve an owner or co-unit given by its name (区城市管理和综合执法局) to its code.
    public init(header: [String], rows: [[String]], mapping: [Field: String] = [:], units: [JurisdictionUnit]) {
        self.header = header.map { $0.trimmingWhitespace }
        for field in Field.allCases {
            let names = mapping[field].map { [$0] } ?? field.headers
            if let index = self.header.firstIndex(where: { names.contains($0) }) {
                columns[field] = index
            } else if Field.required.contains(field) {
                problems.append(Problem(
                    row: 1, column: nil, message: "no column for \(field.rawValue) (a header of \(names.joined(separator: ", ")))"))
            }
        }
        guard problems.isEmpty else { return }
        let codes = Dictionary(units.map { ($0.name, $0.code) }, uniquingKeysWith: { first, _ in first })
        for (offset, cells) in rows.enumerated() {
            let row = offset + 2
            if cells.allSatisfy({ $0.trimmingWhitespace.isEmpty }) { continue }
            var reading = RowReading(cells: cells, columns: columns, header: self.header, row: row, unitCodes: codes)
            let item = reading.item()
            problems += reading.problems
            if let item { items.append((item, row)) }
        }
    }

    /// The column of a field, by its header (for naming where a problem is).
    public func column(of field: Field) -> String? { columns[field].map { header[$0] } }

    /// A problem of the jurisdiction whose catalogue the items became (`catalogue[i]` being the i-th
    /// item read here) at its row and column; nil for a problem elsewhere.
    public func problem(for problem: JurisdictionProblem) -> Problem? {
        guard problem.path.hasPrefix("catalogue["), let close = problem.path.firstIndex(of: "]"),
              let index = Int(problem.path[problem.path.index(problem.path.startIndex, offsetBy: 10)..<close]),
              items.indices.contains(index)
        else { return nil }
        let rest = problem.path[problem.path.index(after: close)...].drop { $0 == "." }
        let key = rest.prefix { $0 != "[" }
        let field: Field? = switch key {
        case "handle_working_days": .limit
        case "handle_kinds": .limitKinds
        default: Field(rawValue: String(key))
        }
        return Problem(row: items[index].row, column: field.flatMap(column(of:)), message: problem.message)
    }
}

/// The cells of one row, read field by field.
private struct RowReading {
    let cells: [String]
    let columns: [CatalogueSheet.Field: Int]
    let header: [String]
    let row: Int
    let unitCodes: [String: String]
    var problems: [CatalogueSheet.Problem] = []

    /// The cell of a field, trimmed; nil when the sheet has no such column or the cell is empty.
    func text(_ field: CatalogueSheet.Field) -> String? {
        guard let index = columns[field], cells.indices.contains(index) else { return nil }
        let text = cells[index].trimmingWhitespace
        return text.isEmpty ? nil : text
    }

    mutating func refuse(_ field: CatalogueSheet.Field, _ message: String) {
        problems.append(.init(row: row, column: columns[field].map { header[$0] }, message: message))
    }

    /// A list cell: separated by 、，,；;| or line breaks.
    func list(_ field: CatalogueSheet.Field) -> [String] {
        guard let text = text(field) else { return [] }
        let separators: Set<Character> = ["、", "，", ",", "；", ";", "|", "\n", "\r"]
        return text.split { separators.contains($0) }.map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    /// A unit's code, or its name resolved to its code.
    func unit(_ text: String) -> String { unitCodes[text] ?? text }

    mutating func item() -> CatalogueItem? {
        let code = text(.code) ?? ""
        let name = text(.name) ?? ""
        let owner: CatalogueOwner
        switch text(.owner) {
        case nil:
            refuse(.owner, "empty")
            owner = .unit("")
        case "属地", CatalogueOwner.territorialToken?: owner = .territorial
        case let text?: owner = .unit(unit(text))
        }
        var item = CatalogueItem(
            code: code, name: name, keywords: list(.keywords), owner: owner, coUnits: list(.coUnits).map(unit),
            basis: text(.basis))
        if let text = text(.kind) {
            if let kind = TicketKind(rawValue: text) ?? Self.kinds[text] { item.kind = kind } else {
                refuse(.kind, "\(text) is no kind (\(TicketKind.allCases.map(\.rawValue).joined(separator: ", ")), or 咨询, 求助, 投诉, 举报, 建议)")
            }
        }
        if let text = text(.urgency) {
            if let urgency = Urgency(rawValue: text) ?? Self.urgencies[text] { item.urgency = urgency } else {
                refuse(.urgency, "\(text) is no urgency (urgent, fast, normal, or 紧急, 加急, 一般)")
            }
        }
        if let text = text(.limit) {
            // "7", "7个工作日", "7 工作日": the working days are the leading number.
            let digits = text.prefix { $0.isASCII && $0.isNumber }
            if let days = Int(digits), !digits.isEmpty, text.dropFirst(digits.count).allSatisfy({ !$0.isNumber }) {
                item.handleWorkingDays = days
            } else {
                refuse(.limit, "\(text) is no number of working days")
            }
        }
        if text(.limitKinds) != nil {
            var kinds: [TicketKind] = []
            for text in list(.limitKinds) {
                if let kind = TicketKind(rawValue: text) ?? Self.kinds[text] { kinds.append(kind) } else {
                    refuse(.limitKinds, "\(text) is no kind (\(TicketKind.allCases.map(\.rawValue).joined(separator: ", ")), or 咨询, 求助, 投诉, 举报, 建议)")
                }
            }
            item.handleKinds = kinds
        }
        for (field, set) in [(CatalogueSheet.Field.needsPhotos, \CatalogueItem.needsPhotos), (.surveyExcluded, \.surveyExcluded)] {
            guard let text = text(field) else { continue }
            if let flag = Self.flags[text.lowercased()] { item[keyPath: set] = flag } else {
                refuse(field, "\(text) is neither yes nor no (是, 否, yes, no, true, false, 1, 0)")
            }
        }
        return problems.isEmpty ? item : nil
    }

    static let kinds: [String: TicketKind] = [
        "咨询": .consultation, "求助": .help, "投诉": .complaint, "举报": .report, "建议": .suggestion,
    ]
    static let urgencies: [String: Urgency] = ["紧急": .urgent, "加急": .fast, "较急": .fast, "一般": .normal, "普通": .normal]
    static let flags: [String: Bool] = [
        "是": true, "否": false, "yes": true, "no": false, "true": true, "false": false, "1": true, "0": false,
        "y": true, "n": false,
    ]
}
