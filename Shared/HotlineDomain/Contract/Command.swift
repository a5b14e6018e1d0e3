import Foundation

/// The body of a command on `hotline.commands`.
public protocol CommandBody: Codable, Sendable {
    /// The command's type (routing key).
    static var commandType: CommandType { get }
    /// Problems beyond the JSON shape (blank ids, impossible counts), as short phrases; empty when fine.
    func validationProblems() -> [String]
}

/// A decoded command of any type.
public enum Command: Sendable, Hashable {
    case unitSign(UnitSign)
    case unitNotifyCitizen(UnitNotifyCitizen)
    case unitRequestReturn(UnitRequestReturn)
    case unitRequestExtension(UnitRequestExtension)
    case unitSubmitResolution(UnitSubmitResolution)
    case unitSubmitStageResolution(UnitSubmitStageResolution)
    case unitReportPart(UnitReportPart)
    case unitDraftKnowledge(UnitDraftKnowledge)
    case unitReviewKnowledge(UnitReviewKnowledge)
    case unitWithdrawKnowledge(UnitWithdrawKnowledge)
    case unitConcludeMatter(UnitConcludeMatter)
    case unitReportVerification(UnitReportVerification)
    case unitAppealAssessment(UnitAppealAssessment)
    case centerDecideAppeal(CenterDecideAppeal)
    case centerAwardPoints(CenterAwardPoints)
    case unitAnswerSupervision(UnitAnswerSupervision)
    case centerOpenSupervision(CenterOpenSupervision)
    case centerEscalateSupervision(CenterEscalateSupervision)
    case centerCloseSupervision(CenterCloseSupervision)
    case centerDispatch(CenterDispatch)
    case centerDecideReturn(CenterDecideReturn)
    case centerDecideExtension(CenterDecideExtension)
    case centerDecideResolution(CenterDecideResolution)
    case centerExcludeDissatisfaction(CenterExcludeDissatisfaction)
    case centerComputeCards(CenterComputeCards)
    case centerFlagKnowledge(CenterFlagKnowledge)
    case surveyResponse(SurveyResponse)
    case gatewaySearchKnowledge(GatewaySearchKnowledge)

    /// The largest accepted command body, in bytes.
    public static let maxBodyBytes = 256 * 1024

    /// Decodes a command from its type (the AMQP `type` or routing key) and body. Never crashes; the
    /// failure's message names the problem (`unknown command type …`, `missing field assignment_id`, …).
    public static func decode(type: String, body: Data) -> Result<Command, CommandDecodingError> {
        guard let commandType = CommandType(rawValue: type) else {
            return .failure(.unknownType(type))
        }
        func malformed(_ message: String) -> Result<Command, CommandDecodingError> {
            .failure(.malformedBody(type: commandType, message: message))
        }
        guard body.count <= maxBodyBytes else { return malformed("body larger than \(maxBodyBytes / 1024) KiB") }
        let bytes = [UInt8](body)
        guard String(validating: bytes, as: UTF8.self) != nil else { return malformed("body is not UTF-8") }
        let tree: JSONValue
        do {
            tree = try JSONParser.parse(bytes)
        } catch {
            return malformed("body is not valid JSON: \(error.description)")
        }
        guard case .object = tree else { return malformed("body must be a JSON object, not \(tree.typeDescription)") }
        let withNUL = tree.pathsWithNUL()
        guard withNUL.isEmpty else {
            return malformed(withNUL.prefix(10).map { "\($0): \(JSONValue.nulProblem)" }.joined(separator: "; "))
        }
        do {
            let command = try decodeBody(commandType, body)
            let problems = command.body.validationProblems()
            guard problems.isEmpty else { return malformed(problems.joined(separator: "; ")) }
            return .success(command)
        } catch {
            return malformed(DecodingProblem.describe(error))
        }
    }

    private static func decodeBody(_ type: CommandType, _ body: Data) throws -> Command {
        let decoder = HotlineJSON.decoder()
        switch type {
        case .unitSign: return .unitSign(try decoder.decode(UnitSign.self, from: body))
        case .unitNotifyCitizen: return .unitNotifyCitizen(try decoder.decode(UnitNotifyCitizen.self, from: body))
        case .unitRequestReturn: return .unitRequestReturn(try decoder.decode(UnitRequestReturn.self, from: body))
        case .unitRequestExtension: return .unitRequestExtension(try decoder.decode(UnitRequestExtension.self, from: body))
        case .unitSubmitResolution: return .unitSubmitResolution(try decoder.decode(UnitSubmitResolution.self, from: body))
        case .unitSubmitStageResolution:
            return .unitSubmitStageResolution(try decoder.decode(UnitSubmitStageResolution.self, from: body))
        case .unitReportPart: return .unitReportPart(try decoder.decode(UnitReportPart.self, from: body))
        case .unitDraftKnowledge: return .unitDraftKnowledge(try decoder.decode(UnitDraftKnowledge.self, from: body))
        case .unitReviewKnowledge: return .unitReviewKnowledge(try decoder.decode(UnitReviewKnowledge.self, from: body))
        case .unitWithdrawKnowledge: return .unitWithdrawKnowledge(try decoder.decode(UnitWithdrawKnowledge.self, from: body))
        case .unitConcludeMatter: return .unitConcludeMatter(try decoder.decode(UnitConcludeMatter.self, from: body))
        case .unitReportVerification:
            return .unitReportVerification(try decoder.decode(UnitReportVerification.self, from: body))
        case .unitAppealAssessment: return .unitAppealAssessment(try decoder.decode(UnitAppealAssessment.self, from: body))
        case .centerDecideAppeal: return .centerDecideAppeal(try decoder.decode(CenterDecideAppeal.self, from: body))
        case .centerAwardPoints: return .centerAwardPoints(try decoder.decode(CenterAwardPoints.self, from: body))
        case .unitAnswerSupervision: return .unitAnswerSupervision(try decoder.decode(UnitAnswerSupervision.self, from: body))
        case .centerOpenSupervision: return .centerOpenSupervision(try decoder.decode(CenterOpenSupervision.self, from: body))
        case .centerEscalateSupervision:
            return .centerEscalateSupervision(try decoder.decode(CenterEscalateSupervision.self, from: body))
        case .centerCloseSupervision: return .centerCloseSupervision(try decoder.decode(CenterCloseSupervision.self, from: body))
        case .centerDispatch: return .centerDispatch(try decoder.decode(CenterDispatch.self, from: body))
        case .centerDecideReturn: return .centerDecideReturn(try decoder.decode(CenterDecideReturn.self, from: body))
        case .centerDecideExtension: return .centerDecideExtension(try decoder.decode(CenterDecideExtension.self, from: body))
        case .centerDecideResolution: return .centerDecideResolution(try decoder.decode(CenterDecideResolution.self, from: body))
        case .centerExcludeDissatisfaction:
            return .centerExcludeDissatisfaction(try decoder.decode(CenterExcludeDissatisfaction.self, from: body))
        case .centerComputeCards: return .centerComputeCards(try decoder.decode(CenterComputeCards.self, from: body))
        case .centerFlagKnowledge: return .centerFlagKnowledge(try decoder.decode(CenterFlagKnowledge.self, from: body))
        case .surveyResponse: return .surveyResponse(try decoder.decode(SurveyResponse.self, from: body))
        case .gatewaySearchKnowledge:
            return .gatewaySearchKnowledge(try decoder.decode(GatewaySearchKnowledge.self, from: body))
        }
    }

    /// The command's body.
    public var body: any CommandBody {
        switch self {
        case .unitSign(let body): return body
        case .unitNotifyCitizen(let body): return body
        case .unitRequestReturn(let body): return body
        case .unitRequestExtension(let body): return body
        case .unitSubmitResolution(let body): return body
        case .unitSubmitStageResolution(let body): return body
        case .unitReportPart(let body): return body
        case .unitDraftKnowledge(let body): return body
        case .unitReviewKnowledge(let body): return body
        case .unitWithdrawKnowledge(let body): return body
        case .unitConcludeMatter(let body): return body
        case .unitReportVerification(let body): return body
        case .unitAppealAssessment(let body): return body
        case .centerDecideAppeal(let body): return body
        case .centerAwardPoints(let body): return body
        case .unitAnswerSupervision(let body): return body
        case .centerOpenSupervision(let body): return body
        case .centerEscalateSupervision(let body): return body
        case .centerCloseSupervision(let body): return body
        case .centerDispatch(let body): return body
        case .centerDecideReturn(let body): return body
        case .centerDecideExtension(let body): return body
        case .centerDecideResolution(let body): return body
        case .centerExcludeDissatisfaction(let body): return body
        case .centerComputeCards(let body): return body
        case .centerFlagKnowledge(let body): return body
        case .surveyResponse(let body): return body
        case .gatewaySearchKnowledge(let body): return body
        }
    }

    /// The command's type.
    public var type: CommandType { Swift.type(of: body).commandType }

    /// The assignment the command names, if it names one.
    public var assignmentID: String? {
        switch self {
        case .unitSign(let body): return body.assignmentID
        case .unitNotifyCitizen(let body): return body.assignmentID
        case .unitRequestReturn(let body): return body.assignmentID
        case .unitRequestExtension(let body): return body.assignmentID
        case .unitSubmitResolution(let body): return body.assignmentID
        case .unitSubmitStageResolution(let body): return body.assignmentID
        case .unitReportPart(let body): return body.assignmentID
        case .centerDecideReturn(let body): return body.assignmentID
        case .centerDecideResolution(let body): return body.assignmentID
        case .centerDispatch, .centerDecideExtension, .centerExcludeDissatisfaction, .centerComputeCards, .surveyResponse,
             .unitDraftKnowledge, .unitReviewKnowledge, .unitWithdrawKnowledge, .centerFlagKnowledge, .gatewaySearchKnowledge,
             .unitConcludeMatter, .unitAppealAssessment, .centerDecideAppeal, .centerAwardPoints, .unitAnswerSupervision,
             .centerOpenSupervision, .centerEscalateSupervision, .centerCloseSupervision, .unitReportVerification:
            return nil
        }
    }

    /// The longest `operator` name a `center.*` command may carry.
    public static let maxOperatorLength = 64

    /// The person at the center who decided, as a `center.*` command names them (`operator`).
    public var operatorName: String? {
        switch self {
        case .centerDispatch(let body): return body.operatorName
        case .centerDecideReturn(let body): return body.operatorName
        case .centerDecideExtension(let body): return body.operatorName
        case .centerDecideResolution(let body): return body.operatorName
        case .centerExcludeDissatisfaction(let body): return body.operatorName
        case .centerComputeCards(let body): return body.operatorName
        case .centerFlagKnowledge(let body): return body.operatorName
        case .centerDecideAppeal(let body): return body.operatorName
        case .centerAwardPoints(let body): return body.operatorName
        case .centerOpenSupervision(let body): return body.operatorName
        case .centerEscalateSupervision(let body): return body.operatorName
        case .centerCloseSupervision(let body): return body.operatorName
        default: return nil
        }
    }

    /// The ticket the command names, if it names one directly.
    public var ticketNo: String? {
        switch self {
        case .centerDispatch(let body): return body.ticketNo
        case .surveyResponse(let body): return body.ticketNo
        case .unitConcludeMatter(let body): return body.ticketNo
        case .unitAppealAssessment(let body): return body.ticketNo
        case .centerAwardPoints(let body): return body.ticketNo
        case .centerOpenSupervision(let body): return body.ticketNo
        default: return nil
        }
    }

    /// The body as JSON with the contract's conventions.
    public func encodedBody() throws -> Data {
        try HotlineJSON.encode(body)
    }
}

/// Why a command could not be decoded; answered with `command.rejected`, reason `invalid`.
public enum CommandDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The type is not a contract command type.
    case unknownType(String)
    /// The body does not fit the type.
    case malformedBody(type: CommandType, message: String)

    /// A short English sentence for `command.rejected`'s `message`.
    public var message: String {
        switch self {
        case .unknownType(let type):
            let shown = type.isEmpty ? "(empty)" : String(type.prefix(100))
            return "unknown command type \(shown)"
        case .malformedBody(let type, let message):
            return "malformed \(type.rawValue): \(message)"
        }
    }

    /// The rejection reason: always `invalid`.
    public var rejection: CommandRejection { .invalid }

    public var description: String { message }
}

// MARK: - Checks beyond the JSON shape

func blank(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
}

func required(_ pairs: (String, String)...) -> [String] {
    pairs.compactMap { name, value in blank(value) ? "\(name) must not be blank" : nil }
}

/// A `center.*` command's `operator`: optional, but when given a name of at most 64 characters.
func operatorProblems(_ name: String?) -> [String] {
    guard let name else { return [] }
    if blank(name) { return ["operator must not be blank"] }
    return name.count > Command.maxOperatorLength ? ["operator must be at most \(Command.maxOperatorLength) characters"] : []
}

extension UnitSign {
    public func validationProblems() -> [String] { required(("assignment_id", assignmentID)) }
}

extension UnitNotifyCitizen {
    public func validationProblems() -> [String] { required(("assignment_id", assignmentID), ("method", method)) }
}

extension UnitRequestReturn {
    /// Blank reasons are not malformed: the center denies them (docs/rules.md "Dispatch", return).
    public func validationProblems() -> [String] {
        let long = (writtenExplanation?.count ?? 0) > Self.maxWrittenExplanation
        return required(("assignment_id", assignmentID))
            + (long ? ["written_explanation must be at most \(Self.maxWrittenExplanation) characters"] : [])
    }
}

extension UnitRequestExtension {
    public func validationProblems() -> [String] {
        required(("assignment_id", assignmentID)) + ((1...366).contains(workingDays) ? [] : ["working_days must be 1-366"])
    }
}

extension UnitSubmitResolution {
    public func validationProblems() -> [String] {
        var problems = required(("assignment_id", assignmentID), ("reply", reply))
        if let filing = caseFiling {
            if (filing.number?.count ?? 0) > CaseFiling.maxNumber {
                problems.append("case_filing.number must be at most \(CaseFiling.maxNumber) characters")
            }
            if [filing.reason, filing.basis].contains(where: { ($0?.count ?? 0) > CaseFiling.maxText }) {
                problems.append("case_filing.reason and case_filing.basis must be at most \(CaseFiling.maxText) characters")
            }
        }
        problems += dutyStatement?.problems ?? []
        return problems
    }
}

extension UnitSubmitStageResolution {
    public func validationProblems() -> [String] { required(("assignment_id", assignmentID)) }
}

extension UnitReportPart {
    public func validationProblems() -> [String] { required(("assignment_id", assignmentID), ("result", result)) }
}

extension CenterDispatch {
    public func validationProblems() -> [String] {
        var problems = required(("ticket_no", ticketNo))
        if units.isEmpty {
            problems.append("units must name at least one unit")
        } else if mode.isSingleUnit, units.count != 1 {
            problems.append("units must name exactly one unit for mode \(mode.rawValue)")
        }
        if units.contains(where: blank) { problems.append("units must not hold blank codes") }
        if Set(units).count != units.count { problems.append("units must not repeat a unit") }
        return problems + operatorProblems(operatorName)
    }
}

extension CenterDecideReturn {
    public func validationProblems() -> [String] {
        var problems = required(("assignment_id", assignmentID))
        if let reassignTo, blank(reassignTo) { problems.append("reassign_to must not be blank") }
        return problems + operatorProblems(operatorName)
    }
}

extension CenterDecideExtension {
    public func validationProblems() -> [String] { required(("request_id", requestID)) + operatorProblems(operatorName) }
}

extension CenterDecideResolution {
    public func validationProblems() -> [String] { required(("assignment_id", assignmentID)) + operatorProblems(operatorName) }
}

extension CenterExcludeDissatisfaction {
    public func validationProblems() -> [String] { required(("survey_id", surveyID)) + operatorProblems(operatorName) }
}

extension SurveyResponse {
    public func validationProblems() -> [String] { required(("survey_id", surveyID), ("ticket_no", ticketNo)) }
}

extension CenterComputeCards {
    public func validationProblems() -> [String] {
        (Quarter(quarter) == nil ? ["quarter must look like 2026Q3"] : []) + operatorProblems(operatorName)
    }
}
