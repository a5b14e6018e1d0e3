import Foundation

/// Every command type of the contract: the routing key on `hotline.commands` and the AMQP `type`.
public enum CommandType: String, Codable, Sendable, CaseIterable {
    case unitSign = "unit.sign"
    case unitNotifyCitizen = "unit.notify-citizen"
    case unitRequestReturn = "unit.request-return"
    case unitRequestExtension = "unit.request-extension"
    case unitSubmitResolution = "unit.submit-resolution"
    case unitSubmitStageResolution = "unit.submit-stage-resolution"
    case unitReportPart = "unit.report-part"
    case unitDraftKnowledge = "unit.draft-knowledge"
    case unitReviewKnowledge = "unit.review-knowledge"
    case unitWithdrawKnowledge = "unit.withdraw-knowledge"
    case unitConcludeMatter = "unit.conclude-matter"
    case unitAppealAssessment = "unit.appeal-assessment"
    case unitAnswerSupervision = "unit.answer-supervision"
    case unitReportVerification = "unit.report-verification"
    case centerDispatch = "center.dispatch"
    case centerDecideReturn = "center.decide-return"
    case centerDecideExtension = "center.decide-extension"
    case centerDecideResolution = "center.decide-resolution"
    case centerExcludeDissatisfaction = "center.exclude-dissatisfaction"
    case centerComputeCards = "center.compute-cards"
    case centerFlagKnowledge = "center.flag-knowledge"
    case centerDecideAppeal = "center.decide-appeal"
    case centerAwardPoints = "center.award-points"
    case centerOpenSupervision = "center.open-supervision"
    case centerEscalateSupervision = "center.escalate-supervision"
    case centerCloseSupervision = "center.close-supervision"
    case surveyResponse = "survey.response"
    case gatewaySearchKnowledge = "gateway.search-knowledge"

    /// The routing key (the raw value).
    public var routingKey: String { rawValue }

    /// Who may send it.
    public var sender: CommandSender {
        switch self {
        case .unitSign, .unitNotifyCitizen, .unitRequestReturn, .unitRequestExtension, .unitSubmitResolution,
             .unitSubmitStageResolution, .unitReportPart, .unitDraftKnowledge, .unitReviewKnowledge, .unitWithdrawKnowledge,
             .unitConcludeMatter, .unitAppealAssessment, .unitAnswerSupervision, .unitReportVerification:
            return .unit
        case .centerDispatch, .centerDecideReturn, .centerDecideExtension, .centerDecideResolution,
             .centerExcludeDissatisfaction, .centerComputeCards, .centerFlagKnowledge, .centerDecideAppeal, .centerAwardPoints,
             .centerOpenSupervision, .centerEscalateSupervision, .centerCloseSupervision:
            return .center
        case .surveyResponse:
            return .survey
        case .gatewaySearchKnowledge:
            return .gateway
        }
    }

    /// The struct that carries its body.
    public var bodyType: any CommandBody.Type {
        switch self {
        case .unitSign: return UnitSign.self
        case .unitNotifyCitizen: return UnitNotifyCitizen.self
        case .unitRequestReturn: return UnitRequestReturn.self
        case .unitRequestExtension: return UnitRequestExtension.self
        case .unitSubmitResolution: return UnitSubmitResolution.self
        case .unitSubmitStageResolution: return UnitSubmitStageResolution.self
        case .unitReportPart: return UnitReportPart.self
        case .unitDraftKnowledge: return UnitDraftKnowledge.self
        case .unitReviewKnowledge: return UnitReviewKnowledge.self
        case .unitWithdrawKnowledge: return UnitWithdrawKnowledge.self
        case .unitConcludeMatter: return UnitConcludeMatter.self
        case .unitReportVerification: return UnitReportVerification.self
        case .unitAppealAssessment: return UnitAppealAssessment.self
        case .centerDecideAppeal: return CenterDecideAppeal.self
        case .centerAwardPoints: return CenterAwardPoints.self
        case .unitAnswerSupervision: return UnitAnswerSupervision.self
        case .centerOpenSupervision: return CenterOpenSupervision.self
        case .centerEscalateSupervision: return CenterEscalateSupervision.self
        case .centerCloseSupervision: return CenterCloseSupervision.self
        case .centerDispatch: return CenterDispatch.self
        case .centerDecideReturn: return CenterDecideReturn.self
        case .centerDecideExtension: return CenterDecideExtension.self
        case .centerDecideResolution: return CenterDecideResolution.self
        case .centerExcludeDissatisfaction: return CenterExcludeDissatisfaction.self
        case .centerComputeCards: return CenterComputeCards.self
        case .centerFlagKnowledge: return CenterFlagKnowledge.self
        case .surveyResponse: return SurveyResponse.self
        case .gatewaySearchKnowledge: return GatewaySearchKnowledge.self
        }
    }

    /// Whether `issuer` (from the AMQP `user_id`) is the kind of sender this command requires. Whether a
    /// unit may act on a particular assignment is the service's check.
    public func permits(_ issuer: CommandIssuer) -> Bool {
        switch (sender, issuer) {
        case (.unit, .unit), (.center, .center), (.survey, .survey), (.gateway, .gateway): return true
        default: return false
        }
    }
}

/// The kind of client a command type requires.
public enum CommandSender: String, Codable, Sendable, CaseIterable {
    /// A unit's system (AMQP user `unit.<code>`).
    case unit
    /// The center's console (AMQP user `center`).
    case center
    /// The survey channel (AMQP user `survey`).
    case survey
    /// A hotline gateway (AMQP user `gateway`): queries only.
    case gateway
}

/// Who sent a message, from its AMQP `user_id` (checked by the broker against the connection's user).
public enum CommandIssuer: Sendable, Hashable {
    /// `unit.<code>`.
    case unit(String)
    /// `center`.
    case center
    /// `survey`.
    case survey
    /// `gateway`.
    case gateway
    /// `svc.<service>`.
    case service(String)

    /// Reads an AMQP `user_id`; nil for anything that is not a contract user name.
    public init?(userID: String) {
        switch userID {
        case "center": self = .center
        case "survey": self = .survey
        case "gateway": self = .gateway
        default:
            if userID.hasPrefix("unit."), userID.count > 5 {
                self = .unit(String(userID.dropFirst(5)))
            } else if userID.hasPrefix("svc."), userID.count > 4 {
                self = .service(String(userID.dropFirst(4)))
            } else {
                return nil
            }
        }
    }

    /// The AMQP user name.
    public var userID: String {
        switch self {
        case .unit(let code): return "unit.\(code)"
        case .center: return "center"
        case .survey: return "survey"
        case .gateway: return "gateway"
        case .service(let name): return "svc.\(name)"
        }
    }

    /// The unit code, for a unit.
    public var unitCode: String? {
        if case .unit(let code) = self { return code }
        return nil
    }
}
