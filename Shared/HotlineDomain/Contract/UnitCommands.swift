import Foundation

/// `unit.sign`: sign (签收) an assignment; on a parallel assignment, claims the ticket.
public struct UnitSign: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.unitSign
    /// The assignment.
    public var assignmentID: String

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String
    ) {
        self.assignmentID = assignmentID
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
    }
}

/// `unit.notify-citizen`: the unit told the citizen (acceptance notice or progress).
public struct UnitNotifyCitizen: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.unitNotifyCitizen
    /// The assignment.
    public var assignmentID: String
    /// Which notice.
    public var stage: CitizenNoticeStage
    /// How, e.g. `phone`, `sms`, `visit`.
    public var method: String
    /// When.
    public var at: Date

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String, stage: CitizenNoticeStage, method: String, at: Date
    ) {
        self.assignmentID = assignmentID
        self.stage = stage
        self.method = method
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case stage
        case method
        case at
    }
}

/// `unit.request-return`: ask the center to take the assignment back (退回), with reason and basis.
public struct UnitRequestReturn: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.unitRequestReturn
    /// The assignment.
    public var assignmentID: String
    /// The unit's reason code.
    public var reasonCode: String
    /// The reason.
    public var reason: String
    /// The basis (legal or catalogue).
    public var basis: String
    /// The unit the requester thinks is responsible.
    public var suggestedUnit: String?
    /// The written return explanation (书面退单说明, DY (7)): its text, or the reference of the signed
    /// document; required where the profile says so.
    public var writtenExplanation: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String, reasonCode: String, reason: String, basis: String, suggestedUnit: String? = nil,
        writtenExplanation: String? = nil
    ) {
        self.assignmentID = assignmentID
        self.reasonCode = reasonCode
        self.reason = reason
        self.basis = basis
        self.suggestedUnit = suggestedUnit
        self.writtenExplanation = writtenExplanation
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case reasonCode = "reason_code"
        case reason
        case basis
        case suggestedUnit = "suggested_unit"
        case writtenExplanation = "written_explanation"
    }

    /// The longest written explanation, in characters.
    public static let maxWrittenExplanation = 5_000
}

/// `unit.request-extension`: ask for more working days (延期).
public struct UnitRequestExtension: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.unitRequestExtension
    /// The assignment.
    public var assignmentID: String
    /// Working days asked for, at least 1.
    public var workingDays: Int
    /// Why.
    public var reason: String

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String, workingDays: Int, reason: String
    ) {
        self.assignmentID = assignmentID
        self.workingDays = workingDays
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case workingDays = "working_days"
        case reason
    }
}

/// `unit.submit-resolution`: the unit's final answer (办结), for the center's review.
public struct UnitSubmitResolution: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.unitSubmitResolution
    /// The assignment.
    public var assignmentID: String
    /// The outcome.
    public var outcome: ResolutionOutcome
    /// The answer to the citizen.
    public var reply: String
    /// When it was handled.
    public var handledAt: Date
    /// Who handled it.
    public var handler: String
    /// The basis, where there is one.
    public var basis: String?
    /// Attachments, free-form.
    public var attachments: [JSONValue]?
    /// Whether a case was filed, for a complaint or report where the profile wants it (PL §15(三)).
    public var caseFiling: CaseFiling?
    /// The head's signed statement of duty performed, with a re-handling's resolution (PL §19(三)).
    public var dutyStatement: DutyStatement?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String,
        outcome: ResolutionOutcome,
        reply: String,
        handledAt: Date,
        handler: String,
        basis: String? = nil,
        attachments: [JSONValue]? = nil,
        caseFiling: CaseFiling? = nil,
        dutyStatement: DutyStatement? = nil
    ) {
        self.assignmentID = assignmentID
        self.outcome = outcome
        self.reply = reply
        self.handledAt = handledAt
        self.handler = handler
        self.basis = basis
        self.attachments = attachments
        self.caseFiling = caseFiling
        self.dutyStatement = dutyStatement
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case outcome
        case reply
        case handledAt = "handled_at"
        case handler
        case basis
        case attachments
        case caseFiling = "case_filing"
        case dutyStatement = "duty_statement"
    }
}

/// `unit.submit-stage-resolution`: an interim closure (阶段性办结) with a follow-up deadline.
public struct UnitSubmitStageResolution: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.unitSubmitStageResolution
    /// The assignment.
    public var assignmentID: String
    /// Why it cannot be finished now.
    public var reason: String
    /// What has been done.
    public var progress: String
    /// What will be done.
    public var plan: String
    /// By when it will be followed up.
    public var followUpBy: Date

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String, reason: String, progress: String, plan: String, followUpBy: Date
    ) {
        self.assignmentID = assignmentID
        self.reason = reason
        self.progress = progress
        self.plan = plan
        self.followUpBy = followUpBy
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case reason
        case progress
        case plan
        case followUpBy = "follow_up_by"
    }
}

/// `unit.report-part`: a co-unit (协办) reports its part to the lead unit.
public struct UnitReportPart: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.unitReportPart
    /// The assignment.
    public var assignmentID: String
    /// Its part of the answer.
    public var result: String

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String, result: String
    ) {
        self.assignmentID = assignmentID
        self.result = result
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case result
    }
}
