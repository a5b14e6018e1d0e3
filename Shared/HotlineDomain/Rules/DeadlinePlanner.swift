import Foundation

/// Computes an assignment's deadlines from the rule profile and the working calendar.
///
/// Counting starts where the profile says (`from`): dispatch limits from acceptance; sign, feedback,
/// handling and return limits from the unit's receipt of the assignment (PS §11 "自收到之日起",
/// ZS §17 "自首次接到诉求工单之日起"); daye's handling limit from signing (DY (8)). Before the unit signs,
/// a limit counted from signing starts at the dispatch (the earliest possible signing); call `plan`
/// again with `signedAt` once the unit signs.
public struct DeadlinePlanner: Sendable {
    public let profile: RuleProfile
    public let calendar: WorkingCalendar

    public init(profile: RuleProfile, calendar: WorkingCalendar) {
        self.profile = profile
        self.calendar = calendar
    }

    /// What the deadlines of a ticket depend on.
    public struct TicketFacts: Sendable, Hashable {
        public var kind: TicketKind
        public var urgency: Urgency
        public var channel: Channel
        /// The ticket's acceptance (`received_at`).
        public var acceptedAt: Date
        /// A clear case (职责明确、管辖清晰, `JurisdictionFile.isClearCase`): dispatched within the
        /// profile's `dispatch.clear_case_within` when that comes first (PS §9).
        public var clearCase: Bool
        /// The deadline of the national or provincial platform that assigned the demand
        /// (`superior_case.resolve_by`), when it did.
        public var superiorResolveBy: Date?

        public init(
            kind: TicketKind, urgency: Urgency, channel: Channel, acceptedAt: Date, clearCase: Bool = false,
            superiorResolveBy: Date? = nil
        ) {
            self.kind = kind
            self.urgency = urgency
            self.channel = channel
            self.acceptedAt = acceptedAt
            self.clearCase = clearCase
            self.superiorResolveBy = superiorResolveBy
        }
    }

    /// A limit the profile does not give.
    public enum PlanningError: Error, Sendable, Hashable, CustomStringConvertible {
        case noLimit(String)
        public var description: String {
            switch self {
            case .noLimit(let what): return "the rule profile gives no limit for \(what)"
            }
        }
    }

    /// The deadlines of a new assignment dispatched at `dispatchedAt`.
    /// - Parameters:
    ///   - itemWorkingDays: the catalogue item's `handle_working_days`, overriding the kind's limit.
    ///   - signedAt: the signing, when known (re-planning after `assignment.signed`).
    ///   - returnAllowed: false for assignments that may not be returned (no `return_by` then).
    public func plan(
        ticket: TicketFacts, dispatchedAt: Date, itemWorkingDays: Int? = nil, signedAt: Date? = nil,
        returnAllowed: Bool = true
    ) throws -> AssignmentDeadlines {
        func start(_ from: LimitStart) -> Date {
            switch from {
            case .acceptance: return ticket.acceptedAt
            case .dispatch: return dispatchedAt
            case .signing: return signedAt ?? dispatchedAt
            }
        }
        guard let signLimit = profile.sign.within[ticket.kind] else {
            throw PlanningError.noLimit("signing a \(ticket.kind.rawValue)")
        }
        let signBy = try signLimit.deadline(from: start(profile.sign.from), calendar: calendar)
        let notifyBy = try profile.acceptanceNotice.within.deadline(
            from: start(profile.acceptanceNotice.from), calendar: calendar)
        let resolveBy = try resolveBy(
            ticket: ticket, from: start(profile.handling.from), itemWorkingDays: itemWorkingDays)
        let feedbackBy = try feedbackBy(urgency: ticket.urgency, from: start(profile.feedback.from))
        let dispatchBy = try dispatchBy(
            urgency: ticket.urgency, acceptedAt: start(profile.dispatch.from), clearCase: ticket.clearCase)
        let returnBy =
            returnAllowed
            ? try profile.returns.window(for: ticket.channel).deadline(
                from: start(profile.returns.from), calendar: calendar)
            : nil
        return AssignmentDeadlines(
            signBy: signBy, notifyBy: notifyBy, feedbackBy: feedbackBy, resolveBy: resolveBy,
            dispatchBy: dispatchBy, returnBy: returnBy)
    }

    /// Whether the limit behind a deadline counts working time (a deadline moved by a pause moves by
    /// its working time then, by its clock time otherwise; warnings measure the same way).
    public func isWorkingTime(_ kind: DeadlineKind, ticket: TicketKind, urgency: Urgency, itemWorkingDays: Int?) -> Bool {
        switch kind {
        case .dispatch: return profile.dispatch.within[urgency]?.isWorkingTime ?? false
        case .sign: return profile.sign.within[ticket]?.isWorkingTime ?? true
        case .notify: return profile.acceptanceNotice.within.isWorkingTime
        case .feedback:
            if let limit = profile.feedback.within[urgency] { return limit.isWorkingTime }
            return profile.handling.emergency(for: urgency)?.handleWithin.isWorkingTime ?? false
        case .resolve:
            return profile.handling.limit(kind: ticket, itemWorkingDays: itemWorkingDays)?.isWorkingTime ?? true
        case .followUp: return false
        case .knowledgeCorrection: return profile.knowledgeRules.correctionWithin.isWorkingTime
        }
    }

    /// The center's dispatch deadline for a ticket accepted at `acceptedAt`: the urgency's limit, or
    /// for a clear case the profile's `dispatch.clear_case_within` when that comes first (PS §9:
    /// 职责明确、管辖清晰的，原则上1小时内分拨).
    public func dispatchBy(urgency: Urgency, acceptedAt: Date, clearCase: Bool = false) throws -> Date? {
        let byUrgency = try profile.dispatch.within[urgency]?.deadline(from: acceptedAt, calendar: calendar)
        guard clearCase, let clear = try profile.dispatch.clearCaseWithin?.deadline(from: acceptedAt, calendar: calendar)
        else { return byUrgency }
        return byUrgency.map { min($0, clear) } ?? clear
    }

    /// The handling limit of a ticket: the item's working days or the kind's limit (without the
    /// emergency cap).
    public func handlingLimit(kind: TicketKind, itemWorkingDays: Int?) throws -> TimeLimit {
        guard let limit = profile.handling.limit(kind: kind, itemWorkingDays: itemWorkingDays) else {
            throw PlanningError.noLimit("handling a \(kind.rawValue)")
        }
        return limit
    }

    /// The resolve deadline counted from `start`, capped by the emergency limit where it applies. A
    /// demand a superior platform assigned follows that platform's deadline instead of the profile's
    /// limit, less the profile's margin (PS §11(一)), where the profile says so.
    public func resolveBy(ticket: TicketFacts, from start: Date, itemWorkingDays: Int? = nil) throws -> Date {
        var deadline: Date
        if let superior = ticket.superiorResolveBy, let rules = profile.handling.superiorDeadline {
            let early = try rules.margin.instant(before: superior, calendar: calendar)
            deadline = early > start ? early : superior
        } else {
            deadline = try handlingLimit(kind: ticket.kind, itemWorkingDays: itemWorkingDays)
                .deadline(from: start, calendar: calendar)
        }
        if let emergency = profile.handling.emergency(for: ticket.urgency) {
            deadline = min(deadline, try emergency.finishWithin.deadline(from: start, calendar: calendar))
        }
        return deadline
    }

    /// The feedback deadline, where the urgency (or the emergency rules) ask for one.
    public func feedbackBy(urgency: Urgency, from start: Date) throws -> Date? {
        var deadline = try profile.feedback.within[urgency]?.deadline(from: start, calendar: calendar)
        if let emergency = profile.handling.emergency(for: urgency) {
            let handle = try emergency.handleWithin.deadline(from: start, calendar: calendar)
            deadline = deadline.map { min($0, handle) } ?? handle
        }
        return deadline
    }

    /// The resolve deadline of a re-handling after a reopen (PS: the original limit again; PL, DY: 5 wd).
    public func rehandlingResolveBy(kind: TicketKind, reopenedAt: Date, itemWorkingDays: Int? = nil) throws -> Date {
        let limit: TimeLimit
        if profile.reopen.useOriginalLimit {
            limit = try handlingLimit(kind: kind, itemWorkingDays: itemWorkingDays)
        } else if let within = profile.reopen.within {
            limit = within
        } else {
            throw PlanningError.noLimit("re-handling")
        }
        return try limit.deadline(from: reopenedAt, calendar: calendar)
    }

    /// The resolve deadline after an extension of `workingDays` (counted from the current deadline).
    public func extendedResolveBy(_ resolveBy: Date, workingDays: Int) throws -> Date {
        try calendar.addingWorkingDays(workingDays, to: resolveBy)
    }

    /// The assignment's `extension_allowed`.
    public func extensionAllowed(channel: Channel, urgency: Urgency) -> Bool {
        profile.extensions.allowed(channel: channel, emergency: profile.handling.emergency(for: urgency))
    }

    /// Checks an extension request of a ticket (see `ExtensionRules.check`).
    public func checkExtension(
        ticket: TicketFacts, requestedWorkingDays: Int, requestedAt: Date, signedAt: Date?, resolveBy: Date,
        itemWorkingDays: Int? = nil, grantedCount: Int, grantedWorkingDays: Int
    ) throws -> ExtensionRules.Verdict {
        let original: Int
        switch try handlingLimit(kind: ticket.kind, itemWorkingDays: itemWorkingDays) {
        case .workingDays(let n): original = n
        case .days(let n): original = n
        case .workingHours(let n), .hours(let n): original = max(1, n / 8)
        case .minutes(let n): original = max(1, n / 480)
        }
        return try profile.extensions.check(
            kind: ticket.kind, channel: ticket.channel, emergency: profile.handling.emergency(for: ticket.urgency),
            requestedWorkingDays: requestedWorkingDays, requestedAt: requestedAt, signedAt: signedAt,
            resolveBy: resolveBy, originalWorkingDays: original, grantedCount: grantedCount,
            grantedWorkingDays: grantedWorkingDays, calendar: calendar)
    }

    /// The warning instants of a limit running from `start` to `deadline` (profile `warnings`).
    public func warningPoints(start: Date, deadline: Date, limit: TimeLimit) throws -> [Date] {
        try profile.warnings.points(
            start: start, deadline: deadline, workingTime: limit.isWorkingTime, calendar: calendar)
    }
}
