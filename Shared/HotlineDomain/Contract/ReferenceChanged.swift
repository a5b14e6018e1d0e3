import Foundation

/// `reference.changed`: `hotlinectl` loaded reference data (the jurisdiction with its duty catalogue,
/// or working calendars). Every running copy of every service reads its reference data again at once
/// instead of when its cache ages out. No ticket.
public struct ReferenceChanged: Codable, Sendable, Hashable, HotlineEvent {
    /// What was loaded.
    public enum Reference: String, Codable, Sendable, Hashable {
        case jurisdiction
        case calendar
    }

    /// This event's type.
    public static let eventType = EventType.referenceChanged
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<ReferenceChanged>()
    public var eventID: String
    public var occurredAt: Date
    /// Always absent: reference data concerns no ticket.
    public var ticketNo: String? { nil }
    public var reference: Reference
    /// The catalogue version now loaded (`jurisdiction`): each load numbers it one higher.
    public var catalogueVersion: Int?
    /// The calendar years loaded (`calendar`).
    public var years: [Int]?

    public init(eventID: String, occurredAt: Date, reference: Reference, catalogueVersion: Int? = nil, years: [Int]? = nil) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.reference = reference
        self.catalogueVersion = catalogueVersion
        self.years = years
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case reference
        case catalogueVersion = "catalogue_version"
        case years
    }
}
