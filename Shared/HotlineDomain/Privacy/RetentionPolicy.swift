import Foundation

/// How long the platform keeps its operational records (docs/operations.md "Retention"): rows that
/// serve deduplication, retries and inspection, several of them holding personal data (invalid
/// bodies, notifications with phone numbers), are deleted once older than their retention. Tickets,
/// assignments and their history are the record of the work and are not purged.
public struct RetentionPolicy: Sendable, Equatable {
    /// A kind of record that is purged, with the executable that purges it: its table's owner.
    public enum Record: String, CaseIterable, Sendable {
        /// `outbox` rows already published.
        case publishedOutbox = "outbox"
        /// `processed_messages`: deduplication of deliveries by `message_id`.
        case processedMessages = "processed_messages"
        /// `command_outcomes`: a repeated command's stored answer.
        case commandOutcomes = "command_outcomes"
        /// `invalid_messages`: refused bodies kept for inspection (may hold personal data).
        case invalidMessages = "invalid_messages"
        /// `submissions`: a resubmitted `submission_id`'s stored outcome.
        case submissions
        /// `notifications` already sent (they hold recipients' phone numbers).
        case sentNotifications = "notifications"
        /// The console's `console_sessions`, by the end of their lifetime.
        case consoleSessions = "console_sessions"
        /// The console's `console_claims` on work items long decided.
        case consoleClaims = "console_claims"

        /// The environment variable that sets its retention in days.
        public var setting: String { "HOTLINE_RETENTION_\(rawValue.uppercased())_DAYS" }

        /// Who purges it: `nil` for the runtime's tables (every service), else the owning service.
        public var owner: String? {
            switch self {
            case .publishedOutbox, .processedMessages, .commandOutcomes, .invalidMessages: nil
            case .submissions: "intake"
            case .sentNotifications: "escalation-notifier"
            case .consoleSessions, .consoleClaims: "console"
            }
        }

        /// Days kept unless configured. A repeated delivery or command older than its record is
        /// handled again, so deduplication records outlive any redelivery the broker could make.
        public var defaultDays: Int {
            switch self {
            case .publishedOutbox: 1
            case .processedMessages: 14
            case .commandOutcomes: 30
            case .invalidMessages: 90
            case .submissions: 365
            case .sentNotifications: 90
            case .consoleSessions: 30
            case .consoleClaims: 90
            }
        }

        /// The shortest retention allowed: a deduplication record must cover the broker's
        /// redelivery window (a delivery is redelivered within the 30-minute consumer timeout).
        public var minimumDays: Int {
            switch self {
            case .processedMessages, .commandOutcomes: 2
            default: 1
            }
        }
    }

    /// Days kept, per record.
    public let days: [Record: Int]

    public init(days: [Record: Int] = [:]) {
        self.days = Dictionary(uniqueKeysWithValues: Record.allCases.map { ($0, days[$0] ?? $0.defaultDays) })
    }

    /// The policy the environment sets (`HOTLINE_RETENTION_<TABLE>_DAYS`); a value that is not a
    /// whole number of days at least the record's minimum is refused with the setting's name.
    public init(environment: [String: String]) throws(RetentionSettingError) {
        var days: [Record: Int] = [:]
        for record in Record.allCases {
            guard let text = environment[record.setting], !text.isEmpty else { continue }
            guard let value = Int(text), value >= record.minimumDays else {
                throw RetentionSettingError(
                    description: "\(record.setting)=\(text): give a whole number of days, at least \(record.minimumDays)")
            }
            days[record] = value
        }
        self.init(days: days)
    }

    /// Rows of `record` older than this are purged.
    public func cutoff(_ record: Record, now: Date) -> Date {
        now.addingTimeInterval(-Double(days[record] ?? record.defaultDays) * 86_400)
    }

    /// The records `service` purges: the runtime's and its own tables'.
    public static func records(purgedBy service: String) -> [Record] {
        Record.allCases.filter { $0.owner == nil || $0.owner == service }
    }
}

/// A retention setting that cannot be used.
public struct RetentionSettingError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
