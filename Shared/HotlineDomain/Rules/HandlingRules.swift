import Foundation

/// The handling (办结) limit per kind (PS §11(一), PL §12, DY (8)), and the emergency limits of
/// pingli (PL §22).
public struct HandlingRules: Codable, Sendable, Hashable {
    /// PS and PL count from the unit's receipt (dispatch); DY from signing.
    public var from: LimitStart
    /// Per kind; a catalogue item's `handle_working_days` overrides it.
    public var within: PerKind<TimeLimit>
    /// Emergency (突发) handling, when the profile has it.
    public var emergency: EmergencyRules?
    /// A unit must have recorded its contact with the citizen (`unit.notify-citizen`) before it
    /// replies, unless the citizen left no phone (DY (8): 严禁在未联系诉求人的情况下虚假回复).
    public var contactBeforeReply: Bool?
    /// The kinds whose resolution says whether a case was filed (`case_filing`, PL §15(三): 投诉举报类).
    public var caseFilingKinds: [TicketKind]?
    /// A re-handling's resolution may carry the head's signed statement of duty performed
    /// (`duty_statement`, PL §19(三): 可上传书面履责意见).
    public var dutyStatementOnRehandling: Bool?
    /// Demands the national or provincial platform assigned follow that platform's deadline
    /// (`superior_case.resolve_by`; PS §11(一): 按照国家、省有关规定办理); absent: the profile's limits.
    public var superiorDeadline: SuperiorDeadlineRules?

    enum CodingKeys: String, CodingKey {
        case from, within, emergency
        case superiorDeadline = "superior_deadline"
        case contactBeforeReply = "contact_before_reply"
        case caseFilingKinds = "case_filing_kinds"
        case dutyStatementOnRehandling = "duty_statement_on_rehandling"
    }

    /// How a superior platform's deadline becomes the unit's.
    public struct SuperiorDeadlineRules: Codable, Sendable, Hashable {
        /// The unit's resolve deadline lies this much before the platform's, for the center's review and
        /// its reply upward (the platform's choice); where that is not after the start, the platform's own.
        public var margin: TimeLimit
    }

    /// Limits for emergencies (PL §22: handled within 2 h, finished within 2 days).
    public struct EmergencyRules: Codable, Sendable, Hashable {
        /// Tickets of this urgency are emergencies.
        public var urgency: Urgency
        /// First handling (feedback) within.
        public var handleWithin: TimeLimit
        /// Finished within (the earlier of this and the kind's limit applies).
        public var finishWithin: TimeLimit
        /// Whether emergencies may be extended (PL §13: 除突发类事项外 → no).
        public var extensionAllowed: Bool

        enum CodingKeys: String, CodingKey {
            case urgency
            case handleWithin = "handle_within"
            case finishWithin = "finish_within"
            case extensionAllowed = "extension_allowed"
        }
    }

    /// The limit for a ticket: the catalogue item's working days when given, else the kind's limit.
    public func limit(kind: TicketKind, itemWorkingDays: Int?) -> TimeLimit? {
        if let days = itemWorkingDays { return .workingDays(days) }
        return within[kind]
    }

    /// The emergency rules when `urgency` makes a ticket an emergency.
    public func emergency(for urgency: Urgency) -> EmergencyRules? {
        guard let emergency, emergency.urgency == urgency else { return nil }
        return emergency
    }
}
