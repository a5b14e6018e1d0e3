import Foundation

/// The counts a report is made of (docs/rules.md "Reports and metrics"), in the order the table shows
/// them. `scope` says whether a count exists per unit or only for the whole center.
public enum ReportCount: String, Sendable, CaseIterable, Codable {
    // Intake, by the time the submission was received (center only).
    case received, accepted
    case notAccepted = "not_accepted"
    case answeredOnCall = "answered_on_call"
    case merged, split
    // Dispatch, per ticket by its first assignment (center only).
    case ticketsDispatched = "tickets_dispatched"
    case dispatchedOnTime = "dispatched_on_time"
    // Assignments, by the time they were dispatched (per unit; the total counts assignments).
    case assignments
    case signDue = "sign_due"
    case signed
    case signedOnTime = "signed_on_time"
    case autoSigned = "auto_signed"
    case notifyDue = "notify_due"
    case notifiedOnTime = "notified_on_time"
    case resolveDue = "resolve_due"
    case resolved
    case resolvedOnTime = "resolved_on_time"
    case overdue
    case overdueTier1 = "overdue_tier_1"
    case overdueTier2 = "overdue_tier_2"
    case overdueTier3 = "overdue_tier_3"
    case stageResolved = "stage_resolved"
    case reopened
    // Requests, by the time they were made.
    case returnsRequested = "returns_requested"
    case returnsApproved = "returns_approved"
    case returnsDenied = "returns_denied"
    case returnsLate = "returns_late"
    case extensionsRequested = "extensions_requested"
    case extensionsApproved = "extensions_approved"
    case extensionsDenied = "extensions_denied"
    // Surveys, by the time they were sent.
    case surveysSent = "surveys_sent"
    case surveysAnswered = "surveys_answered"
    case satisfactionCounted = "satisfaction_counted"
    case satisfied
    case solvedAsked = "solved_asked"
    case solved
    // The knowledge base (PS §20, PL §30, DY (15): 知识库建设/维护/更新), by the time of each act.
    /// Revisions published (new entries and updates), by review.
    case knowledgePublished = "knowledge_published"
    /// Public-interest policies reported, and those within the window before taking effect.
    case policyReports = "policy_reports"
    case policyReportsOnTime = "policy_reports_on_time"
    /// Corrections the center flagged, by the flag; those due (made, or past their deadline) and those
    /// made on time.
    case correctionsFlagged = "corrections_flagged"
    case correctionsDue = "corrections_due"
    case correctionsOnTime = "corrections_on_time"
    /// Consultations answered on the call with one of the unit's entries in force.
    case knowledgeUses = "knowledge_uses"

    /// Whether the count exists only for the center as a whole (intake and dispatch).
    public var centerOnly: Bool {
        switch self {
        case .received, .accepted, .notAccepted, .answeredOnCall, .merged, .split, .ticketsDispatched, .dispatchedOnTime:
            return true
        default:
            return false
        }
    }
}

/// A rate with its numerator and denominator; `rate` is nil when nothing was due.
public struct ReportRate: Sendable, Equatable, Codable {
    public let numerator: Int
    public let denominator: Int
    public var rate: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }

    public init(numerator: Int, denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// `92.3% (12/13)`, or `- (0/0)`.
    public var text: String {
        guard let rate else { return "- (0/0)" }
        return String(format: "%.1f%%", rate * 100) + " (\(numerator)/\(denominator))"
    }
}

/// The rates of docs/rules.md "Reports and metrics", each from two counts.
public enum ReportRateKind: String, Sendable, CaseIterable, Codable {
    case dispatchOnTimeRate = "dispatch_on_time_rate"
    /// 响应率 / on-time sign rate: signed by the unit itself before the sign deadline.
    case responseRate = "response_rate"
    case notifyOnTimeRate = "notify_on_time_rate"
    /// On-time completion: resolved on time of all resolved or overdue.
    case onTimeCompletionRate = "on_time_completion_rate"
    /// 解决率: the citizens who said it was solved, of those asked.
    case resolutionRate = "resolution_rate"
    /// 满意率: satisfied of the answered surveys that count (not excluded, not mediation or law enforcement).
    case satisfactionRate = "satisfaction_rate"
    /// Knowledge base: public-interest policies reported 3-10 working days ahead, of those reported.
    case policyReportOnTimeRate = "policy_report_on_time_rate"
    /// Knowledge base: corrections made by their deadline, of those due.
    case correctionOnTimeRate = "correction_on_time_rate"

    public var numerator: ReportCount {
        switch self {
        case .dispatchOnTimeRate: .dispatchedOnTime
        case .responseRate: .signedOnTime
        case .notifyOnTimeRate: .notifiedOnTime
        case .onTimeCompletionRate: .resolvedOnTime
        case .resolutionRate: .solved
        case .satisfactionRate: .satisfied
        case .policyReportOnTimeRate: .policyReportsOnTime
        case .correctionOnTimeRate: .correctionsOnTime
        }
    }

    public var denominator: ReportCount {
        switch self {
        case .dispatchOnTimeRate: .ticketsDispatched
        case .responseRate: .signDue
        case .notifyOnTimeRate: .notifyDue
        case .onTimeCompletionRate: .resolveDue
        case .resolutionRate: .solvedAsked
        case .satisfactionRate: .satisfactionCounted
        case .policyReportOnTimeRate: .policyReports
        case .correctionOnTimeRate: .correctionsDue
        }
    }

    public var centerOnly: Bool { numerator.centerOnly }
}

/// The figures of one period for the center or one unit: counts, non-acceptance reasons, rates.
public struct ReportFigures: Sendable, Equatable {
    public var counts: [ReportCount: Int]
    public var notAcceptedByReason: [String: Int]
    /// What upheld appeals (`assessment_appeals`) remove from each count, for the assessment's rates.
    public var appealed: [ReportCount: Int]
    /// Points items the center awarded in the period, by kind (`assessment_awards`).
    public var awards: [String: Int]
    public let centerWide: Bool

    public init(
        centerWide: Bool, counts: [ReportCount: Int] = [:], notAcceptedByReason: [String: Int] = [:],
        appealed: [ReportCount: Int] = [:], awards: [String: Int] = [:]
    ) {
        self.centerWide = centerWide
        self.counts = counts
        self.notAcceptedByReason = notAcceptedByReason
        self.appealed = appealed
        self.awards = awards
    }

    /// The counts this scope has (a unit has no intake or dispatch counts).
    public var applicableCounts: [ReportCount] { ReportCount.allCases.filter { centerWide || !$0.centerOnly } }
    public var applicableRates: [ReportRateKind] { ReportRateKind.allCases.filter { centerWide || !$0.centerOnly } }

    public subscript(count: ReportCount) -> Int { counts[count] ?? 0 }

    public func rate(_ kind: ReportRateKind) -> ReportRate {
        ReportRate(numerator: self[kind.numerator], denominator: self[kind.denominator])
    }

    /// The rate the assessment scores: upheld appeals' items removed from both counts.
    public func assessedRate(_ kind: ReportRateKind) -> ReportRate {
        ReportRate(numerator: self[kind.numerator] - (appealed[kind.numerator] ?? 0),
                   denominator: self[kind.denominator] - (appealed[kind.denominator] ?? 0))
    }

    public mutating func add(_ count: ReportCount, _ value: Int) {
        guard value != 0 else { return }
        counts[count, default: 0] += value
    }
}

/// One period: the center's figures and each unit's.
public struct ReportPeriodFigures: Sendable, Equatable {
    public let period: ReportPeriod
    public var total: ReportFigures
    public var units: [String: ReportFigures]

    public init(period: ReportPeriod, total: ReportFigures = ReportFigures(centerWide: true), units: [String: ReportFigures] = [:]) {
        self.period = period
        self.total = total
        self.units = units
    }
}

/// The period's hotspots (PS §23): the most frequent categories and communities, and recurring
/// matters (the same category at the same place raised again as a new ticket after an earlier one
/// was no longer open, 回潮).
public struct ReportHotspots: Sendable, Equatable {
    public struct Category: Sendable, Equatable {
        public let category: String
        public let name: String?
        public let tickets: Int
        public init(category: String, name: String?, tickets: Int) {
            self.category = category
            self.name = name
            self.tickets = tickets
        }
    }

    public struct Community: Sendable, Equatable {
        public let street: String
        public let community: String
        public let tickets: Int
        public init(street: String, community: String, tickets: Int) {
            self.street = street
            self.community = community
            self.tickets = tickets
        }
    }

    public struct Recurring: Sendable, Equatable {
        public let category: String
        public let street: String
        public let community: String
        public let address: String
        public let tickets: Int
        public init(category: String, street: String, community: String, address: String, tickets: Int) {
            self.category = category
            self.street = street
            self.community = community
            self.address = address
            self.tickets = tickets
        }
    }

    public var categories: [Category]
    public var communities: [Community]
    public var recurring: [Recurring]

    public init(categories: [Category] = [], communities: [Community] = [], recurring: [Recurring] = []) {
        self.categories = categories
        self.communities = communities
        self.recurring = recurring
    }
}

/// A whole report: its range, grouping, unit filter, periods and hotspots.
public struct HotlineReport: Sendable, Equatable {
    public let from: CalendarDate
    public let to: CalendarDate
    public let grouping: ReportGrouping?
    public let unit: String?
    public let asOf: Date
    /// The periods, in order (fixed at creation; their figures change through `record`).
    public private(set) var periods: [ReportPeriodFigures]
    public var hotspots: ReportHotspots
    /// The profile whose assessment ranks the units in each period, when asked for.
    public var assessment: Assessment?

    /// A profile's name and its assessment rules.
    public struct Assessment: Sendable, Equatable {
        public let profile: String
        public let rules: AssessmentRules
        public init(profile: String, rules: AssessmentRules) {
            self.profile = profile
            self.rules = rules
        }
    }
    /// Where each period's key is in `periods`.
    private var periodIndex: [CalendarDate: Int]

    private static func index(_ periods: [ReportPeriodFigures]) -> [CalendarDate: Int] {
        Dictionary(periods.enumerated().map { ($0.element.period.key, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    public init(
        from: CalendarDate, to: CalendarDate, grouping: ReportGrouping?, unit: String?, asOf: Date,
        periods: [ReportPeriodFigures]? = nil, hotspots: ReportHotspots = ReportHotspots()
    ) {
        self.from = from
        self.to = to
        self.grouping = grouping
        self.unit = unit
        self.asOf = asOf
        let periods = periods
            ?? ReportPeriod.covering(from: from, to: to, by: grouping).map { ReportPeriodFigures(period: $0) }
        self.periods = periods
        self.periodIndex = Self.index(periods)
        self.hotspots = hotspots
    }

    /// One row of the SQL: a count for a period (its key) and a unit (nil: the center).
    public mutating func record(period key: CalendarDate, unit: String?, count: ReportCount, value: Int) {
        guard let index = periodIndex[key] else { return }
        if let unit {
            if let only = self.unit, only != unit { return }
            periods[index].units[unit, default: ReportFigures(centerWide: false)].add(count, value)
        } else {
            periods[index].total.add(count, value)
        }
    }

    /// What upheld appeals remove from a unit's count in a period.
    public mutating func recordAppealed(period key: CalendarDate, unit: String, count: ReportCount, value: Int) {
        guard let index = periodIndex[key], value != 0, self.unit == nil || self.unit == unit else { return }
        periods[index].units[unit, default: ReportFigures(centerWide: false)].appealed[count, default: 0] += value
    }

    /// Points items awarded to a unit in a period.
    public mutating func recordAwards(period key: CalendarDate, unit: String, kind: String, value: Int) {
        guard let index = periodIndex[key], value != 0, self.unit == nil || self.unit == unit else { return }
        periods[index].units[unit, default: ReportFigures(centerWide: false)].awards[kind, default: 0] += value
    }

    /// A non-acceptance reason's count (center only).
    public mutating func recordNotAccepted(period key: CalendarDate, reason: String, value: Int) {
        guard let index = periodIndex[key] else { return }
        periods[index].total.notAcceptedByReason[reason, default: 0] += value
    }
}
