import Foundation

/// `center.dispatch`: a human dispatcher assigns a ticket; the first unit leads where the mode has a lead.
public struct CenterDispatch: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.centerDispatch
    /// The ticket.
    public var ticketNo: String
    /// How.
    public var mode: DispatchMode
    /// Unit codes, lead first.
    public var units: [String]
    /// The dispatcher's note.
    public var note: String?
    /// Who at the center decided, for the audit trail (`operator`; docs/contract.md "Commands").
    public var operatorName: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        ticketNo: String, mode: DispatchMode, units: [String], note: String? = nil, operatorName: String? = nil
    ) {
        self.operatorName = operatorName
        self.ticketNo = ticketNo
        self.mode = mode
        self.units = units
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case ticketNo = "ticket_no"
        case mode
        case units
        case note
        case operatorName = "operator"
    }
}

/// `center.decide-return`: approve (re-dispatch) or deny a return request.
public struct CenterDecideReturn: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.centerDecideReturn
    /// The assignment.
    public var assignmentID: String
    /// Whether the return is approved.
    public var approve: Bool
    /// On approval: the unit to dispatch to instead.
    public var reassignTo: String?
    /// The center's note.
    public var note: String
    /// Who at the center decided, for the audit trail (`operator`; docs/contract.md "Commands").
    public var operatorName: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String, approve: Bool, reassignTo: String? = nil, note: String, operatorName: String? = nil
    ) {
        self.operatorName = operatorName
        self.assignmentID = assignmentID
        self.approve = approve
        self.reassignTo = reassignTo
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case approve
        case reassignTo = "reassign_to"
        case note
        case operatorName = "operator"
    }
}

/// `center.decide-extension`: approve or deny an extension request.
public struct CenterDecideExtension: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.centerDecideExtension
    /// The request, from `assignment.extension-requested`.
    public var requestID: String
    /// Whether the extension is approved.
    public var approve: Bool
    /// The center's note.
    public var note: String
    /// Who at the center decided, for the audit trail (`operator`; docs/contract.md "Commands").
    public var operatorName: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        requestID: String, approve: Bool, note: String, operatorName: String? = nil
    ) {
        self.operatorName = operatorName
        self.requestID = requestID
        self.approve = approve
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case approve
        case note
        case operatorName = "operator"
    }
}

/// `center.decide-resolution`: approve or reject a submitted resolution (or stage resolution).
public struct CenterDecideResolution: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.centerDecideResolution
    /// The assignment.
    public var assignmentID: String
    /// Whether it is approved.
    public var approve: Bool
    /// The center's note.
    public var note: String
    /// Who at the center decided, for the audit trail (`operator`; docs/contract.md "Commands").
    public var operatorName: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String, approve: Bool, note: String, operatorName: String? = nil
    ) {
        self.operatorName = operatorName
        self.assignmentID = assignmentID
        self.approve = approve
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case approve
        case note
        case operatorName = "operator"
    }
}

/// `center.exclude-dissatisfaction`: exclude (核减) an unreasonable dissatisfaction from the unit's figures.
public struct CenterExcludeDissatisfaction: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.centerExcludeDissatisfaction
    /// The survey.
    public var surveyID: String
    /// The justification.
    public var note: String
    /// Who at the center decided, for the audit trail (`operator`; docs/contract.md "Commands").
    public var operatorName: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        surveyID: String, note: String, operatorName: String? = nil
    ) {
        self.operatorName = operatorName
        self.surveyID = surveyID
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case surveyID = "survey_id"
        case note
        case operatorName = "operator"
    }
}

/// `center.compute-cards`: compute a quarter's yellow and red cards now (PS §20(二)), as the
/// escalation notifier does at each quarter's end. Cards already issued are not issued again.
public struct CenterComputeCards: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.centerComputeCards
    /// The quarter, e.g. `2026Q3`.
    public var quarter: String
    /// Who at the center decided, for the audit trail (`operator`; docs/contract.md "Commands").
    public var operatorName: String?

    public init(quarter: String, operatorName: String? = nil) {
        self.operatorName = operatorName
        self.quarter = quarter
    }

    enum CodingKeys: String, CodingKey {
        case quarter
        case operatorName = "operator"
    }
}
