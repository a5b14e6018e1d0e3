import Foundation

/// Overdue escalation tiers (PS §19): 1-3 days over → the unit's principal head; over 3 and under 7 →
/// the district leader in charge of the unit; 7 or more → the district's principal leader.
public struct EscalationRules: Codable, Sendable, Hashable {
    /// Ascending tiers; the highest that applies is the current one.
    public var tiers: [Tier]
    /// The deadlines whose overdue days escalate (YAML `deadlines`; default `resolve`, `follow_up`).
    public var deadlines: [DeadlineKind]?
    /// Templates, alert audiences and quiet hours (YAML `notifications`; default
    /// `NotificationRules.standard`).
    public var notifications: NotificationRules?

    /// The deadlines that escalate.
    public var escalatingDeadlines: [DeadlineKind] { deadlines ?? [.resolve, .followUp] }
    /// The notification rules in force.
    public var notificationRules: NotificationRules { notifications ?? .standard }

    /// One tier.
    public struct Tier: Codable, Sendable, Hashable {
        public var tier: Int
        /// Applies when more than this many days overdue.
        public var overDays: Double?
        /// Applies when at least this many days overdue.
        public var fromDays: Double?
        public var recipients: [Recipient]

        enum CodingKeys: String, CodingKey {
            case tier
            case overDays = "over_days"
            case fromDays = "from_days"
            case recipients
        }

        /// Whether the tier applies to `days` elapsed days past the deadline.
        public func applies(daysOverdue days: Double) -> Bool {
            if let over = overDays, !(days > over) { return false }
            if let from = fromDays, !(days >= from) { return false }
            return overDays != nil || fromDays != nil
        }
    }

    /// Who is told, resolved through the jurisdiction file.
    public enum Recipient: String, Codable, Sendable, Hashable, CaseIterable {
        /// The unit's `head` (主要负责同志).
        case principalHead = "principal_head"
        /// The unit's `leader_in_charge` (分管区领导).
        case leaderInCharge = "leader_in_charge"
        /// The district's `leaders.principal` (区主要领导).
        case districtPrincipal = "district_principal"
    }

    /// Elapsed days (24 h each) since a deadline; negative before it.
    public static func daysOverdue(deadline: Date, now: Date) -> Double {
        now.timeIntervalSince(deadline) / 86_400
    }

    /// The highest tier that applies to `days` overdue, if any.
    public func tier(forDaysOverdue days: Double) -> Tier? {
        tiers.filter { $0.applies(daysOverdue: days) }.max { $0.tier < $1.tier }
    }

    /// The boundary instant of a tier for a deadline (for scheduling): a `from_days` tier applies from
    /// it, an `over_days` tier from just after it.
    public func start(of tier: Tier, deadline: Date) -> Date {
        let days = max(tier.overDays ?? 0, tier.fromDays ?? 0)
        return deadline.addingTimeInterval(days * 86_400)
    }
}
