import Foundation

/// A ticket's deadlines and what happened, on one time line (docs/console.md "Tickets"): each
/// deadline at its instant with how it stands, each event (signed, notified, extended, returned,
/// resolved, escalated, surveyed, …) at its instant, in time order.
public struct TicketTimeline: Sendable {
    /// One deadline of one unit's assignment.
    public struct Deadline: Sendable {
        public let unit: String
        public let kind: DeadlineKind
        public let due: Date
        /// When what the deadline asks for was done; nil while it is not.
        public let doneAt: Date?

        public init(unit: String, kind: DeadlineKind, due: Date, doneAt: Date?) {
            self.unit = unit
            self.kind = kind
            self.due = due
            self.doneAt = doneAt
        }
    }

    /// Something that happened to the ticket.
    public struct Event: Sendable {
        public let at: Date
        public let actor: String
        public let text: String

        public init(at: Date, actor: String, text: String) {
            self.at = at
            self.actor = actor
            self.text = text
        }
    }

    /// A point of the line: a deadline (with its standing) or an event.
    public struct Mark: Sendable {
        public let at: Date
        public let deadline: Deadline?
        public let standing: DeadlineStanding?
        public let event: Event?
    }

    public let marks: [Mark]

    public init(deadlines: [Deadline], events: [Event], now: Date) {
        let points = deadlines.map { deadline in
            Mark(at: deadline.due, deadline: deadline, standing: DeadlineStanding(due: deadline.due, doneAt: deadline.doneAt, now: now), event: nil)
        } + events.map { Mark(at: $0.at, deadline: nil, standing: nil, event: $0) }
        // Events before deadlines at the same instant: what was done by then counts.
        marks = points.enumerated().sorted { left, right in
            if left.element.at != right.element.at { return left.element.at < right.element.at }
            if (left.element.event == nil) != (right.element.event == nil) { return left.element.event != nil }
            return left.offset < right.offset
        }.map(\.element)
    }
}
