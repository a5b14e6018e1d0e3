/// Where a demand came from (渠道, PS §7, DY (5)).
public enum Channel: String, Codable, Sendable, CaseIterable {
    case hotline, web, wechat, app, mailbox, grid, deputy, media, national, provincial, other

    /// National and provincial platform tickets have tighter return windows and no extensions (PS §13-14).
    public var isSuperior: Bool { self == .national || self == .provincial }
}

/// The kind of a demand (类型, PS §11, PL §35).
public enum TicketKind: String, Codable, Sendable, CaseIterable {
    case consultation, help, complaint, report, suggestion
}

/// How fast a demand must be handled (紧急度, PS §11).
public enum Urgency: String, Codable, Sendable, CaseIterable {
    case urgent, fast, normal
}

/// The part a unit plays on a ticket (PS §10, §12, §15).
public enum AssignmentRole: String, Codable, Sendable, CaseIterable {
    case sole, lead, co, parallel
    case firstResponsible = "first_responsible"
    case territorial
}

/// The kind of a unit in the jurisdiction file.
public enum UnitKind: String, Codable, Sendable, CaseIterable {
    case department
    case streetOffice = "street_office"
    case enterprise
    /// A residents' or villagers' committee (居民委员会、村民委员会): it assists, and is never the unit
    /// responsible for a demand (ZS §6).
    case residentCommittee = "resident_committee"
}
