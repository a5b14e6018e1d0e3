import Foundation

/// Quarterly yellow and red cards (PS §20(二)).
public struct CardRules: Codable, Sendable, Hashable {
    /// A yellow card when a unit reaches either count in a quarter.
    public var yellow: Yellow
    /// Consecutive yellow quarters that make a red card (2).
    public var redAfterConsecutiveYellow: Int

    /// Yellow-card thresholds.
    public struct Yellow: Codable, Sendable, Hashable {
        /// Tickets resolved late or still overdue (超期办结).
        public var overdueTickets: Int
        /// Shirking (推诿扯皮): denied or overdue returns.
        public var shirkedTickets: Int

        enum CodingKeys: String, CodingKey {
            case overdueTickets = "overdue_tickets"
            case shirkedTickets = "shirked_tickets"
        }
    }

    enum CodingKeys: String, CodingKey {
        case yellow
        case redAfterConsecutiveYellow = "red_after_consecutive_yellow"
    }

    /// Whether a quarter's counts earn a yellow card.
    public func isYellow(overdue: Int, shirked: Int) -> Bool {
        overdue >= yellow.overdueTickets || shirked >= yellow.shirkedTickets
    }
}
