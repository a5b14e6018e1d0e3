import Foundation

/// A message on `hotline.notifications` for a delivery gateway (SMS, OA letter, phone call), routed by
/// `<channel>.<audience>`. Delivery gateways must never send the same `dedup_key` twice.
///
/// Clients that also import Foundation may need to spell it `HotlineDomain.Notification` (or use
/// `HotlineNotification`), as Foundation has a `Notification` of its own.
public struct Notification: Codable, Sendable, Hashable {
    /// Unique id of the notification (also its AMQP `message_id`).
    public var notificationID: String
    /// How it is delivered.
    public var channel: NotificationChannel
    /// Who it is for.
    public var audience: NotificationAudience
    /// The recipient.
    public var recipient: NotificationRecipient
    /// The template used, e.g. `sla.breached.tier1`.
    public var template: String
    /// The text to send.
    public var text: String
    /// The ticket concerned, if any.
    public var ticketNo: String?
    /// The same key is never sent twice.
    public var dedupKey: String

    public init(
        notificationID: String, channel: NotificationChannel, audience: NotificationAudience,
        recipient: NotificationRecipient, template: String, text: String, ticketNo: String? = nil, dedupKey: String
    ) {
        self.notificationID = notificationID
        self.channel = channel
        self.audience = audience
        self.recipient = recipient
        self.template = template
        self.text = text
        self.ticketNo = ticketNo
        self.dedupKey = dedupKey
    }

    enum CodingKeys: String, CodingKey {
        case notificationID = "notification_id"
        case channel, audience, recipient, template, text
        case ticketNo = "ticket_no"
        case dedupKey = "dedup_key"
    }

    /// The routing key on `hotline.notifications`, e.g. `sms.citizen`.
    public var routingKey: String { "\(channel.rawValue).\(audience.rawValue)" }
}

/// Another name for `Notification`, free of Foundation's.
public typealias HotlineNotification = Notification

/// How a notification is delivered.
public enum NotificationChannel: String, Codable, Sendable, CaseIterable {
    /// SMS (民情速报 and citizen texts).
    case sms
    /// An OA letter.
    case oa
    /// A phone call: in emergencies, and to citizens who asked to be called back (ZS §23).
    case phone
}

/// Who a notification is for.
public enum NotificationAudience: String, Codable, Sendable, CaseIterable {
    /// The citizen.
    case citizen
    /// An official (unit heads, district leaders).
    case official
    /// A unit as an organization.
    case unit
}

/// Who receives a notification (also an escalation's recipients).
public struct NotificationRecipient: Codable, Sendable, Hashable {
    /// Their role.
    public var role: RecipientRole
    /// Their unit, for unit roles.
    public var unitCode: String?
    /// Their name, where known.
    public var name: String?
    /// Their phone, for SMS and calls.
    public var phone: String?

    public init(role: RecipientRole, unitCode: String? = nil, name: String? = nil, phone: String? = nil) {
        self.role = role
        self.unitCode = unitCode
        self.name = name
        self.phone = phone
    }

    enum CodingKeys: String, CodingKey {
        case role
        case unitCode = "unit_code"
        case name, phone
    }
}

/// A recipient's role: an open set of strings, with the platform's usual ones as constants.
public struct RecipientRole: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// The citizen who raised the ticket.
    public static let citizen: RecipientRole = "citizen"
    /// A unit's duty desk (the assignment's unit).
    public static let unit: RecipientRole = "unit"
    /// A unit's principal head (主要负责同志), escalation tier 1.
    public static let principalHead: RecipientRole = "principal_head"
    /// The district leader in charge of a unit (分管区领导), tier 2.
    public static let leaderInCharge: RecipientRole = "leader_in_charge"
    /// The district's principal leader (区主要领导), tier 3.
    public static let districtPrincipal: RecipientRole = "district_principal"
    /// A unit warned about urgent or fast tickets.
    public static let warnedUnit: RecipientRole = "warned_unit"
    /// The center's duty staff.
    public static let center: RecipientRole = "center"
}
