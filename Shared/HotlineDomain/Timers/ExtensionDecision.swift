import Foundation

/// `unit.request-extension` checked against the profile (PS §14, PL §13, DY (9)), with the refusal's
/// contract reason and a sentence that names the limit.
public enum ExtensionDecision {
    /// Checks a request for `workingDays` more working days on the assignment of `clock` at `now`.
    /// - Parameters:
    ///   - extensionAllowed: the assignment's `extension_allowed` as dispatched.
    ///   - pendingRequest: whether another request of the assignment awaits the center.
    /// - Returns: the working days the center's approval would grant.
    public static func check(
        clock: AssignmentClock, workingDays: Int, now: Date, extensionAllowed: Bool, pendingRequest: Bool,
        planner: DeadlinePlanner
    ) -> Result<Int, CommandRefusal> {
        if clock.hasEnded {
            return .failure(CommandRefusal(
                .wrongState, "assignment \(clock.assignmentID) has ended (\(clock.endReason ?? "ended"))"))
        }
        if clock.pausedAt != nil {
            return .failure(CommandRefusal(.wrongState, "a return request of assignment \(clock.assignmentID) awaits the center"))
        }
        if clock.resolutionSubmittedAt != nil {
            return .failure(CommandRefusal(.wrongState, "a resolution of assignment \(clock.assignmentID) awaits the center's review"))
        }
        if clock.followUpBy != nil {
            return .failure(CommandRefusal(.wrongState, "assignment \(clock.assignmentID) is stage-resolved; its follow-up date is set"))
        }
        if pendingRequest {
            return .failure(CommandRefusal(.wrongState, "an extension request of assignment \(clock.assignmentID) already awaits the center"))
        }
        let rules = planner.profile.extensions
        let verdict: ExtensionRules.Verdict
        do {
            verdict = try planner.checkExtension(
                ticket: clock.facts, requestedWorkingDays: workingDays, requestedAt: now, signedAt: clock.signedAt,
                resolveBy: clock.deadlines.resolveBy, itemWorkingDays: clock.itemWorkingDays,
                grantedCount: clock.extensionsGranted, grantedWorkingDays: clock.extensionDaysGranted)
        } catch {
            return .failure(CommandRefusal(.notAllowed, "the extension cannot be checked: \(error)"))
        }
        switch verdict {
        case .grantable(let days):
            guard extensionAllowed else {
                return .failure(CommandRefusal(
                    .notAllowed, "assignment \(clock.assignmentID) was dispatched as not extendable",
                    rule: ExtensionRules.Refusal.notExtendable.rawValue))
            }
            return .success(days)
        case .refused(let refusal, let maximum):
            return .failure(CommandRefusal(
                CommandRejection(rawValue: refusal.rejectionReason) ?? .notAllowed,
                message(refusal, maximum: maximum, clock: clock, workingDays: workingDays, rules: rules, planner: planner),
                rule: refusal.rawValue))
        }
    }

    /// The sentence for a refusal, naming the profile's limit.
    static func message(
        _ refusal: ExtensionRules.Refusal, maximum: Int?, clock: AssignmentClock, workingDays: Int,
        rules: ExtensionRules, planner: DeadlinePlanner
    ) -> String {
        let profile = planner.profile.profile
        let kind = clock.kind.rawValue
        switch refusal {
        case .notExtendable:
            if clock.channel.isSuperior && !rules.superiorChannels {
                return "\(profile): tickets from the \(clock.channel.rawValue) platform cannot be extended"
            }
            if let emergency = planner.profile.handling.emergency(for: clock.urgency), !emergency.extensionAllowed {
                return "\(profile): emergency (\(clock.urgency.rawValue)) tickets cannot be extended"
            }
            return "\(profile): this ticket cannot be extended"
        case .countExhausted:
            let most = maximum ?? rules.maxCount ?? 0
            return "\(profile): at most \(most) extension\(most == 1 ? "" : "s") per assignment, \(clock.extensionsGranted) already granted"
        case .tooEarly:
            let days = rules.notWithinWorkingDaysOfSigning?[clock.kind] ?? 0
            guard let signed = clock.signedAt else {
                return "\(profile): a \(kind) cannot be extended before it is signed"
            }
            let until = (try? planner.calendar.addingWorkingDays(days, to: signed)).map { RFC3339.string(from: $0) }
            return "\(profile): a \(kind) cannot be extended within \(days) working days of signing"
                + (until.map { " (not before \($0))" } ?? "")
        case .late:
            return "\(profile): an extension must be asked before the resolve deadline \(RFC3339.string(from: clock.deadlines.resolveBy))"
        case .exceedsLimit:
            let most = max(0, maximum ?? 0)
            if let total = rules.maxTotalWorkingDays {
                return "\(profile): the handling period may not exceed \(total) working days in total; \(most) left, \(workingDays) asked"
            }
            if rules.eachEqualsOriginalLimit {
                return "\(profile): each extension is as long as the original limit of \(most) working days; \(workingDays) asked"
            }
            return "\(profile): a \(kind) may be extended by at most \(most) working day\(most == 1 ? "" : "s"); \(workingDays) asked"
        case .invalidAmount:
            return "working_days must be at least 1"
        }
    }

    /// Whether another extension could still be granted after the ones in `clock` (the
    /// `extension_allowed` of `assignment.updated`).
    public static func furtherExtensionPossible(clock: AssignmentClock, extensionAllowed: Bool, planner: DeadlinePlanner) -> Bool {
        let rules = planner.profile.extensions
        guard extensionAllowed, rules.allowed(channel: clock.channel, emergency: planner.profile.handling.emergency(for: clock.urgency))
        else { return false }
        if let most = rules.maxCount, clock.extensionsGranted >= most { return false }
        if let total = rules.maxTotalWorkingDays,
           let limit = try? planner.handlingLimit(kind: clock.kind, itemWorkingDays: clock.itemWorkingDays) {
            let original: Int
            switch limit {
            case .workingDays(let n), .days(let n): original = n
            case .workingHours(let n), .hours(let n): original = max(1, n / 8)
            case .minutes(let n): original = max(1, n / 480)
            }
            if total - original - clock.extensionDaysGranted <= 0 { return false }
        }
        return true
    }
}

/// The citizen's notice of an approved extension (ZS §19: extended tickets tell the citizen the reason
/// and the new deadline), for `hotline.notifications` / `sms.citizen`.
public enum ExtensionNotice {
    public static let template = "assignment.extended.citizen"

    /// The SMS text, in Chinese, with the reason and the new deadline in the calendar's time zone.
    public static func text(ticketNo: String, reason: String, resolveBy: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: resolveBy)
        let when = String(
            format: "%d年%d月%d日%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
        var cause = reason.trimmingWhitespace
        if cause.count > 120 { cause = String(cause.prefix(120)) + "…" }
        if cause.isEmpty { cause = "办理需要" }
        return "【12345热线】您反映的诉求（工单号：\(ticketNo)）因“\(cause)”需延期办理，经审核同意，新的办结期限为\(when)。感谢您的理解与支持。"
    }

    /// The notification, or nil when the citizen is anonymous or left no phone number.
    public static func notification(
        id: String, requestID: String, ticketNo: String, citizen: Citizen, reason: String, resolveBy: Date,
        timeZone: TimeZone
    ) -> HotlineNotification? {
        guard !citizen.anonymous, let phone = citizen.phone, !phone.isEmpty else { return nil }
        return HotlineNotification(
            notificationID: id, channel: .sms, audience: .citizen,
            recipient: NotificationRecipient(role: .citizen, name: citizen.name, phone: phone),
            template: template, text: text(ticketNo: ticketNo, reason: reason, resolveBy: resolveBy, timeZone: timeZone),
            ticketNo: ticketNo, dedupKey: "extension:\(requestID):citizen")
    }
}
