import Foundation

/// Whether a unit may file a conclusion notice for a ticket (PS §15(六)): the matter must have been
/// handled to its end (已依法办理完毕: the ticket closed), by this unit (责任单位: an assignment of it
/// on the ticket that it resolved), and a ticket is concluded once.
public enum ConclusionRules {
    /// What the platform knows of the ticket when the notice is filed.
    public struct Ticket: Sendable, Hashable {
        public var status: TicketStatus
        /// The states of the filing unit's assignments of the ticket.
        public var unitAssignments: [AssignmentState]
        /// When the filing unit's first assignment was made: the notice cannot be older.
        public var firstAssignedAt: Date?
        /// The notice already filed for it, if any.
        public var filedNotice: String?

        public init(status: TicketStatus, unitAssignments: [AssignmentState], firstAssignedAt: Date?, filedNotice: String?) {
            self.status = status
            self.unitAssignments = unitAssignments
            self.firstAssignedAt = firstAssignedAt
            self.filedNotice = filedNotice
        }
    }

    /// The assignment states in which a unit handled the matter to its end.
    public static let handledToEnd: Set<AssignmentState> = [.resolved, .closed]

    /// The refusal of `command` by `unit`, or nil; nil `ticket` is an unknown ticket.
    public static func check(
        _ command: UnitConcludeMatter, by unit: String, ticket: Ticket?, now: Date, skew: TimeInterval
    ) -> CommandRefusal? {
        let ticketNo = command.ticketNo.prefix(64)
        guard let ticket else { return CommandRefusal(.notFound, "no ticket \(ticketNo)") }
        guard !ticket.unitAssignments.isEmpty else {
            return CommandRefusal(.forbidden, "unit \(unit) has no assignment of ticket \(ticketNo)")
        }
        if let filed = ticket.filedNotice {
            return CommandRefusal(.wrongState, "ticket \(ticketNo) is already concluded (notice \(filed))")
        }
        guard ticket.status == .closed else {
            return CommandRefusal(
                .wrongState,
                "ticket \(ticketNo) is \(ticket.status.rawValue): a matter is concluded once it is closed (PS §15(六) 已依法办理完毕)")
        }
        guard ticket.unitAssignments.contains(where: handledToEnd.contains) else {
            return CommandRefusal(
                .forbidden, "unit \(unit) did not resolve ticket \(ticketNo): only a unit that handled it to its end files its conclusion")
        }
        if let assignedAt = ticket.firstAssignedAt,
           let problem = ReportedTime.problem(command.issuedAt, field: "issued_at", dispatchedAt: assignedAt, now: now, skew: skew)
        {
            return ReportedTime.refusal(problem)
        }
        return nil
    }
}
