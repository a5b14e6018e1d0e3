import Foundation

/// Extensions (延期) of the handling limit (PS §14, PL §13, DY (9)).
public struct ExtensionRules: Codable, Sendable, Hashable {
    /// How many extensions an assignment may get (PS: 1; PL: 2; `nil`: no count limit).
    public var maxCount: Int?
    /// Most extra working days per extension, per kind (PS: 1 / 3 / 5).
    public var maxWorkingDays: PerKind<Int>?
    /// Each extension is as long as the original limit (PL §13).
    public var eachEqualsOriginalLimit: Bool
    /// The whole handling period, original limit plus extensions, in working days (DY (9): 30).
    public var maxTotalWorkingDays: Int?
    /// No request within this many working days of signing, per kind (PS §14: complaint 3).
    public var notWithinWorkingDaysOfSigning: PerKind<Int>?
    /// Whether national and provincial tickets may be extended (PS §14: no).
    public var superiorChannels: Bool
    /// A request must come before the deadline (PL §13).
    public var beforeDeadline: Bool

    enum CodingKeys: String, CodingKey {
        case maxCount = "max_count"
        case maxWorkingDays = "max_working_days"
        case eachEqualsOriginalLimit = "each_equals_original_limit"
        case maxTotalWorkingDays = "max_total_working_days"
        case notWithinWorkingDaysOfSigning = "not_within_working_days_of_signing"
        case superiorChannels = "superior_channels"
        case beforeDeadline = "before_deadline"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxCount = try c.decodeIfPresent(Int.self, forKey: .maxCount)
        maxWorkingDays = try c.decodeIfPresent(PerKind<Int>.self, forKey: .maxWorkingDays)
        eachEqualsOriginalLimit = try c.decodeIfPresent(Bool.self, forKey: .eachEqualsOriginalLimit) ?? false
        maxTotalWorkingDays = try c.decodeIfPresent(Int.self, forKey: .maxTotalWorkingDays)
        notWithinWorkingDaysOfSigning = try c.decodeIfPresent(
            PerKind<Int>.self, forKey: .notWithinWorkingDaysOfSigning)
        superiorChannels = try c.decodeIfPresent(Bool.self, forKey: .superiorChannels) ?? true
        beforeDeadline = try c.decodeIfPresent(Bool.self, forKey: .beforeDeadline) ?? true
    }

    /// Why an extension request is refused.
    public enum Refusal: String, Sendable, Hashable, Codable {
        /// Superior channel or emergency: never extended.
        case notExtendable = "not_extendable"
        case countExhausted = "count_exhausted"
        /// Asked within the first working days after signing (PS §14 complaints).
        case tooEarly = "too_early"
        /// Asked after the deadline.
        case late
        /// More working days than allowed, or nothing left of the total.
        case exceedsLimit = "exceeds_limit"
        case invalidAmount = "invalid_amount"

        /// The `command.rejected` reason of the contract.
        public var rejectionReason: String {
            switch self {
            case .notExtendable, .countExhausted, .exceedsLimit: return "not_allowed"
            case .tooEarly: return "wrong_state"
            case .late: return "too_late"
            case .invalidAmount: return "invalid"
            }
        }
    }

    /// The outcome of checking an extension request against the profile.
    public enum Verdict: Sendable, Hashable {
        /// May go to the center; grants this many working days when approved.
        case grantable(workingDays: Int)
        case refused(Refusal, maximum: Int?)
    }

    /// Whether a ticket may be extended at all (the assignment's `extension_allowed`).
    public func allowed(channel: Channel, emergency: HandlingRules.EmergencyRules?) -> Bool {
        if channel.isSuperior && !superiorChannels { return false }
        if let emergency, !emergency.extensionAllowed { return false }
        return maxCount != 0
    }

    /// Checks a request for `requestedWorkingDays` more working days.
    /// - Parameters:
    ///   - originalWorkingDays: the handling limit the assignment started with, in working days.
    ///   - grantedCount / grantedWorkingDays: extensions already granted.
    ///   - signedAt: when the unit signed (nil: not yet; the first-days rule then refuses).
    public func check(
        kind: TicketKind, channel: Channel, emergency: HandlingRules.EmergencyRules?,
        requestedWorkingDays: Int, requestedAt: Date, signedAt: Date?, resolveBy: Date,
        originalWorkingDays: Int, grantedCount: Int, grantedWorkingDays: Int, calendar: WorkingCalendar
    ) throws -> Verdict {
        guard allowed(channel: channel, emergency: emergency) else { return .refused(.notExtendable, maximum: nil) }
        guard requestedWorkingDays > 0 else { return .refused(.invalidAmount, maximum: nil) }
        if let maxCount, grantedCount >= maxCount { return .refused(.countExhausted, maximum: maxCount) }
        if beforeDeadline && requestedAt > resolveBy { return .refused(.late, maximum: nil) }
        if let days = notWithinWorkingDaysOfSigning?[kind], days > 0 {
            guard let signedAt else { return .refused(.tooEarly, maximum: nil) }
            if requestedAt <= (try calendar.addingWorkingDays(days, to: signedAt)) {
                return .refused(.tooEarly, maximum: nil)
            }
        }
        var maximum = Int.max
        if eachEqualsOriginalLimit { maximum = originalWorkingDays }
        if let perKind = maxWorkingDays?[kind] { maximum = min(maximum, perKind) }
        if let total = maxTotalWorkingDays {
            maximum = min(maximum, total - originalWorkingDays - grantedWorkingDays)
        }
        if maximum <= 0 || requestedWorkingDays > maximum {
            return .refused(.exceedsLimit, maximum: maximum == Int.max ? nil : max(0, maximum))
        }
        return .grantable(workingDays: eachEqualsOriginalLimit ? originalWorkingDays : requestedWorkingDays)
    }
}
