import Foundation

/// Who approves a stage resolution (阶段性办结), by the follow-up period (PS §16(三)).
public struct StageResolutionRules: Codable, Sendable, Hashable {
    /// Checked in order; the first that applies names the approver.
    public var approvals: [Approval]

    /// One band of follow-up periods.
    public struct Approval: Codable, Sendable, Hashable {
        /// Applies when the follow-up is at most this many months after the submission.
        public var upToMonths: Int?
        /// Applies when the follow-up is less than this many months after the submission.
        public var belowMonths: Int?
        /// With neither bound, applies to everything left.
        public var approver: Approver

        enum CodingKeys: String, CodingKey {
            case upToMonths = "up_to_months"
            case belowMonths = "below_months"
            case approver
        }
    }

    /// Approvers of PS §16(三).
    public enum Approver: String, Codable, Sendable, Hashable, CaseIterable {
        /// 责任单位分管负责同志.
        case unitDeputyHead = "unit_deputy_head"
        /// 责任单位主要负责同志.
        case unitHead = "unit_head"
        /// 分管区领导.
        case districtLeader = "district_leader"
    }

    /// The approver for a follow-up deadline, months counted in the calendar's time zone.
    public func approver(submittedAt: Date, followUpBy: Date, timeZone: TimeZone) -> Approver? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        for approval in approvals {
            if let months = approval.upToMonths {
                if let bound = calendar.date(byAdding: .month, value: months, to: submittedAt), followUpBy <= bound {
                    return approval.approver
                }
            } else if let months = approval.belowMonths {
                if let bound = calendar.date(byAdding: .month, value: months, to: submittedAt), followUpBy < bound {
                    return approval.approver
                }
            } else {
                return approval.approver
            }
        }
        return nil
    }
}
