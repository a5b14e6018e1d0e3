import Foundation
import HotlineDomain
import HotlineRuntime

/// An event as it will be published: its type, id and body. The body may carry fields beyond the
/// domain struct's (the contract allows adding fields), e.g. the new `deadlines` the sla-timer needs.
struct EncodedEvent: Sendable {
    let type: String
    let eventID: String
    private(set) var body: Data
    let ticketNo: String?
    let assignmentID: String?

    init<E: HotlineEvent>(_ event: E, assignmentID: String? = nil) throws {
        type = E.eventType.rawValue
        eventID = event.eventID
        body = try HotlineJSON.encode(event)
        ticketNo = event.ticketNo
        self.assignmentID = assignmentID
    }

    /// The event with `extras` merged in (fields the struct already has win).
    init<E: HotlineEvent, X: Encodable>(_ event: E, assignmentID: String? = nil, extras: X) throws {
        try self.init(event, assignmentID: assignmentID)
        guard case .object(var fields) = try JSONValue.parse(body),
              case .object(let more) = try JSONValue.parse(try HotlineJSON.encode(extras))
        else { return }
        for (key, value) in more where fields[key] == nil && !value.isNull { fields[key] = value }
        body = try HotlineJSON.encode(JSONValue.object(fields))
    }

    init(type: String, eventID: String, body: Data, ticketNo: String?, assignmentID: String?) {
        self.type = type
        self.eventID = eventID
        self.body = body
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
    }

    /// The event on `hotline.events`, answering `correlationID` when it is a command's outcome.
    func message(correlationID: String? = nil) -> OutboxMessage {
        OutboxMessage(
            exchange: Exchange.events, routingKey: type, messageID: eventID, type: type, correlationID: correlationID,
            mandatory: false, body: body)
    }
}

/// Fields added to events whose facts change an assignment's deadlines.
struct DeadlineExtras: Encodable {
    var deadlines: AssignmentDeadlines?
    var followUpBy: Date?
    var approvalLevel: String?
    var resolutionKind: String?

    init(
        deadlines: AssignmentDeadlines? = nil, followUpBy: Date? = nil, approvalLevel: String? = nil,
        resolutionKind: String? = nil
    ) {
        self.deadlines = deadlines
        self.followUpBy = followUpBy
        self.approvalLevel = approvalLevel
        self.resolutionKind = resolutionKind
    }

    enum CodingKeys: String, CodingKey {
        case deadlines
        case followUpBy = "follow_up_by"
        case approvalLevel = "approval_level"
        case resolutionKind = "resolution_kind"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(deadlines, forKey: .deadlines)
        try container.encodeIfPresent(followUpBy, forKey: .followUpBy)
        try container.encodeIfPresent(approvalLevel, forKey: .approvalLevel)
        try container.encodeIfPresent(resolutionKind, forKey: .resolutionKind)
    }
}
