import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Logging

/// A command body that cannot be read: answered with `invalid`, and its raw bytes kept.
struct InvalidCommandBody: Error {
    let refusal: CommandRefusal
}

/// One command being handled inside its transaction: checks the sender, decodes the body, and runs
/// the command's handler. Handlers throw `CommandRefusal` for every refusal (answered as
/// `CommandRefused`: `ServiceRuntime.answer` rolls back and answers `command.rejected`).
struct CommandContext {
    let connection: PostgresConnection
    let now: Date
    let reference: ReferenceData
    let commandID: String
    let commandType: String
    let delivery: Delivery
    let logger: Logger

    var planner: DeadlinePlanner { DeadlinePlanner(profile: reference.profile, calendar: reference.calendar) }
    var factory: AssignmentFactory { AssignmentFactory(reference: reference, connection: connection, now: now) }
    var router: Router { Router(jurisdiction: reference.jurisdiction) }

    func run(_ routing: DispatcherCommandRouting) throws -> CommandEffect {
        let type: CommandType
        switch routing {
        case .unknown(let text):
            let shown = text.isEmpty ? "(empty)" : String(text.prefix(100))
            throw CommandRefusal(.invalid, "unknown command type \(shown)")
        case .otherService(let known):
            // Not reached: the caller leaves these to their services.
            throw CommandRefusal(.invalid, "\(known.rawValue) is not handled by the dispatcher")
        case .handle(let known):
            type = known
        }
        let issuer = try CommandAuthorization.sender(of: type, userID: delivery.properties.userID).get()
        let command: Command
        switch Command.decode(type: type.rawValue, body: Data(delivery.body)) {
        case .success(let decoded): command = decoded
        case .failure(let problem): throw InvalidCommandBody(refusal: CommandRefusal(.invalid, problem.message))
        }
        let handlers = AssignmentCommands(context: self, issuer: issuer, operatorName: command.operatorName)
        switch command {
        case .unitSign(let body): return try handlers.sign(body)
        case .unitNotifyCitizen(let body): return try handlers.notifyCitizen(body)
        case .unitRequestReturn(let body): return try handlers.requestReturn(body)
        case .unitSubmitResolution(let body): return try handlers.submitResolution(body)
        case .unitSubmitStageResolution(let body): return try handlers.submitStageResolution(body)
        case .unitReportPart(let body): return try handlers.reportPart(body)
        case .centerDispatch(let body): return try handlers.centerDispatch(body)
        case .centerDecideReturn(let body): return try handlers.decideReturn(body)
        case .centerDecideResolution(let body): return try handlers.decideResolution(body)
        case .unitRequestExtension, .centerDecideExtension, .centerExcludeDissatisfaction, .centerComputeCards, .surveyResponse,
             .unitDraftKnowledge, .unitReviewKnowledge, .unitWithdrawKnowledge, .centerFlagKnowledge, .gatewaySearchKnowledge,
             .unitConcludeMatter, .unitAppealAssessment, .centerDecideAppeal, .centerAwardPoints, .unitAnswerSupervision,
             .centerOpenSupervision, .centerEscalateSupervision, .centerCloseSupervision, .unitReportVerification:
            throw CommandRefusal(.invalid, "\(type.rawValue) is not handled by the dispatcher")
        }
    }
}
