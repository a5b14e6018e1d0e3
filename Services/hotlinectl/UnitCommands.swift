import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// `hotlinectl unit …`: a unit's commands, published as the AMQP user `unit.<code>` with `user_id`
/// set, waiting for the outcome on `hotline.reply.unit.<code>`. Exit status 0 for the resulting
/// event, 3 for `command.rejected`, 1 for any other failure (no answer within the timeout, …).
struct UnitCommands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit",
        abstract: "Act as a unit on its assignments (sign, notify, return, resolve, …) and print the outcome.",
        subcommands: [
            Sign.self, Notify.self, Return.self, Resolve.self, StageResolve.self, ReportPart.self, RequestExtension.self,
        ])

    /// Who acts: `--unit CODE`, or the unit of the assignment as stored.
    struct Actor: ParsableArguments {
        @Option(help: "The acting unit's code (default: the assignment's unit, read from the database).")
        var unit: String?

        @OptionGroup var client: CommandClientOptions

        func user(for assignmentID: String) async throws -> String {
            if let unit, !unit.isEmpty { return "unit.\(unit)" }
            let stored = try await withDatabase { database in
                try await database.withConnection { connection in
                    try connection.query("SELECT unit FROM assignments WHERE assignment_id = $1", [assignmentID]).first?
                        .decode("unit", as: String.self)
                }
            }
            guard let stored else { throw ValidationError("no assignment \(assignmentID); name the unit with --unit") }
            return "unit.\(stored)"
        }

        func send(_ type: CommandType, assignmentID: String, body: some Encodable) async throws {
            try await CommandRequest(user: try await user(for: assignmentID), options: client).sendAndReport(type, body: body)
        }
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign (签收) an assignment; on a parallel one, claim the ticket.")
        @Argument(help: "The assignment id.") var assignment: String
        @OptionGroup var actor: Actor

        func run() async throws {
            try await runReportingErrors {
                try await actor.send(.unitSign, assignmentID: assignment, body: UnitSign(assignmentID: assignment))
            }
        }
    }

    struct Notify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "notify", abstract: "Record a notice to the citizen (受理告知 or progress).")
        @Argument(help: "The assignment id.") var assignment: String
        @Option(help: "acceptance or progress.") var stage: String = "acceptance"
        @Option(help: "How the citizen was told, e.g. phone, sms.") var method: String = "phone"
        @Option(help: "When (RFC 3339); default now.") var at: String?
        @OptionGroup var actor: Actor

        func run() async throws {
            try await runReportingErrors {
                guard let stage = CitizenNoticeStage(rawValue: stage) else {
                    throw ValidationError("--stage: acceptance or progress, not \(stage)")
                }
                let when = try at.map { try parseTime($0, option: "at") } ?? Date()
                try await actor.send(
                    .unitNotifyCitizen, assignmentID: assignment,
                    body: UnitNotifyCitizen(assignmentID: assignment, stage: stage, method: method, at: when))
            }
        }
    }

    struct Return: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "return", abstract: "Ask the center to take an assignment back (退回), with reason and basis.")
        @Argument(help: "The assignment id.") var assignment: String
        @Option(name: .customLong("reason-code"), help: "e.g. not_our_duty, wrong_location.") var reasonCode: String
        @Option(help: "Why.") var reason: String
        @Option(help: "The legal or catalogue basis.") var basis: String
        @Option(name: .customLong("suggested-unit"), help: "The unit the requester thinks responsible.") var suggestedUnit: String?
        @Option(name: .customLong("written-explanation"), help: "The written return explanation (书面退单说明), where the profile requires one.")
        var writtenExplanation: String?
        @OptionGroup var actor: Actor

        func run() async throws {
            try await runReportingErrors {
                try await actor.send(
                    .unitRequestReturn, assignmentID: assignment,
                    body: UnitRequestReturn(
                        assignmentID: assignment, reasonCode: reasonCode, reason: reason, basis: basis,
                        suggestedUnit: suggestedUnit, writtenExplanation: writtenExplanation))
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve", abstract: "Submit the resolution (办结) for the center's review.")
        @Argument(help: "The assignment id.") var assignment: String
        @Option(help: "resolved, explained or not_adopted.") var outcome: String = "resolved"
        @Option(help: "The reply to the citizen.") var reply: String
        @Option(help: "Who handled it.") var handler: String
        @Option(name: .customLong("handled-at"), help: "When (RFC 3339); default now.") var handledAt: String?
        @Option(help: "The basis of the answer.") var basis: String?
        @Option(name: .customLong("photo-before"), help: "Address of the photo before the work.") var photoBefore: String?
        @Option(name: .customLong("photo-after"), help: "Address of the photo after the work.") var photoAfter: String?
        @Option(name: .customLong("attachment"), help: "An attachment as a JSON object (repeatable).") var attachments: [String] = []
        @Option(name: .customLong("case-number"), help: "The case filed (立案编号), where the profile asks (with --case-filed-at).")
        var caseNumber: String?
        @Option(name: .customLong("case-filed-at"), help: "When the case was filed (RFC 3339).") var caseFiledAt: String?
        @Option(name: .customLong("no-case-reason"), help: "Why no case was filed (不予立案的理由; with --no-case-basis).")
        var noCaseReason: String?
        @Option(name: .customLong("no-case-basis"), help: "The legal basis of not filing a case.") var noCaseBasis: String?
        @Option(name: .customLong("duty-statement"), help: "A re-handling's statement of duty performed (书面履责意见; with --signed-by).")
        var dutyStatement: String?
        @Option(name: .customLong("signed-by"), help: "The head who signed the statement of duty performed.") var signedBy: String?
        @OptionGroup var actor: Actor

        /// `case_filing` from the options, when any is given.
        func caseFiling() throws -> CaseFiling? {
            if caseNumber != nil || caseFiledAt != nil {
                return CaseFiling(
                    filed: true, number: caseNumber, filedAt: try caseFiledAt.map { try parseTime($0, option: "case-filed-at") })
            }
            if noCaseReason != nil || noCaseBasis != nil { return CaseFiling(filed: false, reason: noCaseReason, basis: noCaseBasis) }
            return nil
        }

        func run() async throws {
            try await runReportingErrors {
                guard let outcome = ResolutionOutcome(rawValue: outcome) else {
                    throw ValidationError("--outcome: resolved, explained or not_adopted, not \(outcome)")
                }
                var files: [JSONValue] = []
                for text in attachments {
                    guard let value = try? JSONValue.parse(Data(text.utf8)) else {
                        throw ValidationError("--attachment: not JSON: \(text)")
                    }
                    files.append(value)
                }
                if let photoBefore {
                    files.append(.object(["type": .string("photo"), "stage": .string("before"), "url": .string(photoBefore)]))
                }
                if let photoAfter {
                    files.append(.object(["type": .string("photo"), "stage": .string("after"), "url": .string(photoAfter)]))
                }
                let when = try handledAt.map { try parseTime($0, option: "handled-at") } ?? Date()
                try await actor.send(
                    .unitSubmitResolution, assignmentID: assignment,
                    body: UnitSubmitResolution(
                        assignmentID: assignment, outcome: outcome, reply: reply, handledAt: when, handler: handler,
                        basis: basis, attachments: files.isEmpty ? nil : files, caseFiling: try caseFiling(),
                        dutyStatement: dutyStatement.map { DutyStatement(statement: $0, signedBy: signedBy ?? "", signedAt: when) }))
            }
        }
    }

    struct StageResolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stage-resolve", abstract: "Submit a stage resolution (阶段性办结) with a follow-up deadline.")
        @Argument(help: "The assignment id.") var assignment: String
        @Option(help: "Why it cannot be finished now.") var reason: String
        @Option(help: "What was done so far.") var progress: String
        @Option(help: "What follows, and when.") var plan: String
        @Option(name: .customLong("follow-up-by"), help: "The follow-up deadline (RFC 3339).") var followUpBy: String
        @OptionGroup var actor: Actor

        func run() async throws {
            try await runReportingErrors {
                try await actor.send(
                    .unitSubmitStageResolution, assignmentID: assignment,
                    body: UnitSubmitStageResolution(
                        assignmentID: assignment, reason: reason, progress: progress, plan: plan,
                        followUpBy: try parseTime(followUpBy, option: "follow-up-by")))
            }
        }
    }

    struct ReportPart: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report-part", abstract: "A co-unit reports its part of the work to the lead.")
        @Argument(help: "The assignment id.") var assignment: String
        @Option(help: "The co-unit's result.") var result: String
        @OptionGroup var actor: Actor

        func run() async throws {
            try await runReportingErrors {
                try await actor.send(
                    .unitReportPart, assignmentID: assignment, body: UnitReportPart(assignmentID: assignment, result: result))
            }
        }
    }

    struct RequestExtension: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request-extension", abstract: "Ask for more time (延期); the sla-timer answers.")
        @Argument(help: "The assignment id.") var assignment: String
        @Option(name: .customLong("working-days"), help: "Working days asked for.") var workingDays: Int
        @Option(help: "Why.") var reason: String
        @OptionGroup var actor: Actor

        func run() async throws {
            try await runReportingErrors {
                try await actor.send(
                    .unitRequestExtension, assignmentID: assignment,
                    body: UnitRequestExtension(assignmentID: assignment, workingDays: workingDays, reason: reason))
            }
        }
    }
}
