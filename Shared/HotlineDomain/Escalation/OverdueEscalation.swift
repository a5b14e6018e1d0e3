import Foundation

/// Overdue escalation decisions (PS §19, docs/contract.md "Deadline arithmetic"): which tiers an overdue tick raises
/// and who each tier tells, from the profile's tiers and the jurisdiction file's contacts.
public struct OverdueEscalation: Sendable {
    public let rules: EscalationRules
    public let jurisdiction: JurisdictionFile

    public init(rules: EscalationRules, jurisdiction: JurisdictionFile) {
        self.rules = rules
        self.jurisdiction = jurisdiction
    }

    /// Whether an overdue tick for `deadline` escalates at all.
    public func escalates(_ deadline: DeadlineKind) -> Bool { rules.escalatingDeadlines.contains(deadline) }

    /// The tiers to raise now, ascending: every tier up to the one that applies to `daysOverdue`
    /// which was not raised yet. A notifier that first hears of an assignment at tier 3 raises 1, 2
    /// and 3 in order; a tier already raised is never raised again.
    public func tiersToRaise(daysOverdue: Int, alreadyRaised: Set<Int>) -> [EscalationRules.Tier] {
        guard daysOverdue > 0, let current = rules.tier(forDaysOverdue: Double(daysOverdue)) else { return [] }
        return rules.tiers
            .filter { $0.tier <= current.tier && !alreadyRaised.contains($0.tier) }
            .sorted { $0.tier < $1.tier }
    }

    /// Who a tier tells about an assignment of `unit`: each recipient resolved through the
    /// jurisdiction file. A contact the file does not give is returned without name and phone.
    public func recipients(of tier: EscalationRules.Tier, unit: String) -> [NotificationRecipient] {
        tier.recipients.map { recipient(for: $0, unit: unit) }
    }

    /// One recipient kind resolved for `unit`.
    public func recipient(for kind: EscalationRules.Recipient, unit: String) -> NotificationRecipient {
        let record = jurisdiction.unit(unit)
        switch kind {
        case .principalHead:
            return NotificationRecipient(
                role: .principalHead, unitCode: unit, name: record?.head?.name, phone: record?.head?.phone)
        case .leaderInCharge:
            return NotificationRecipient(
                role: .leaderInCharge, unitCode: unit, name: record?.leaderInCharge?.name,
                phone: record?.leaderInCharge?.phone)
        case .districtPrincipal:
            return NotificationRecipient(
                role: .districtPrincipal, name: jurisdiction.leaders.principal.name,
                phone: jurisdiction.leaders.principal.phone)
        }
    }

    /// The dedup key of a tier's SMS to one recipient: once per assignment, deadline period (the
    /// deadline and its instant), tier and role.
    public static func dedupKey(
        assignmentID: String, deadline: DeadlineKind, deadlineAt: Date, tier: Int, recipient: NotificationRecipient
    ) -> String {
        "escalation:\(assignmentID):\(deadline.rawValue)@\(Int(deadlineAt.timeIntervalSince1970)):tier\(tier):\(recipient.role.rawValue)"
    }
}
