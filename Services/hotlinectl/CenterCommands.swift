import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime

/// `hotlinectl center …`: the center console's commands, published as the AMQP user `center` with
/// `user_id` set, waiting for the outcome on `hotline.reply.center`. Exit status 0 for the resulting
/// event, 3 for `command.rejected`, 1 for any other failure.
struct CenterCommands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "center",
        abstract: "Act as the center: dispatch tickets, decide returns, resolutions and extensions.",
        subcommands: [Dispatch.self, DecideReturn.self, DecideResolution.self, DecideExtension.self])

    /// Who at the center decides, recorded in the ticket's history with the decision.
    struct Operator: ParsableArguments {
        @Option(name: .customLong("operator"), help: "Your name for the record (default: $HOTLINE_OPERATOR).")
        var given: String?

        var name: String? {
            given ?? ProcessInfo.processInfo.environment["HOTLINE_OPERATOR"].flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// Approve or deny, said once.
    struct Decision: ParsableArguments {
        @Flag(name: .customLong("approve"), help: "Approve.") var approve = false
        @Flag(name: .customLong("deny"), help: "Deny (or reject).") var deny = false
        @Option(help: "The center's note.") var note: String = ""
        @OptionGroup var operatorOption: Operator

        func approved() throws -> Bool {
            guard approve != deny else { throw ValidationError("say exactly one of --approve and --deny") }
            return approve
        }
    }

    static func send(_ type: CommandType, body: some Encodable, client: CommandClientOptions) async throws {
        try await CommandRequest(user: "center", options: client).sendAndReport(type, body: body)
    }

    struct Dispatch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dispatch a ticket: sole, lead_co (the first unit leads), parallel, first_responsible, territorial.")
        @Argument(help: "The ticket number.") var ticket: String
        @Option(help: "sole, lead_co, parallel, first_responsible or territorial.") var mode: String
        @Option(help: "Unit codes, comma-separated (the lead first).") var units: String
        @Option(help: "A note for the record.") var note: String?
        @OptionGroup var operatorOption: Operator
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                guard let mode = DispatchMode(rawValue: mode) else {
                    throw ValidationError(
                        "--mode: one of \(DispatchMode.allCases.map(\.rawValue).joined(separator: ", ")), not \(mode)")
                }
                let codes = units.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                try await CenterCommands.send(
                    .centerDispatch, body: CenterDispatch(
                        ticketNo: ticket, mode: mode, units: codes, note: note, operatorName: operatorOption.name),
                    client: client)
            }
        }
    }

    struct DecideReturn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decide-return", abstract: "Approve (re-dispatch) or deny a unit's return request.")
        @Argument(help: "The assignment id.") var assignment: String
        @OptionGroup var decision: Decision
        @Option(name: .customLong("reassign-to"), help: "The unit that takes the ticket over (with --approve).") var reassignTo: String?
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                try await CenterCommands.send(
                    .centerDecideReturn,
                    body: CenterDecideReturn(
                        assignmentID: assignment, approve: try decision.approved(), reassignTo: reassignTo, note: decision.note,
                        operatorName: decision.operatorOption.name),
                    client: client)
            }
        }
    }

    struct DecideResolution: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decide-resolution", abstract: "Approve or reject a submitted (stage) resolution.")
        @Argument(help: "The assignment id.") var assignment: String
        @OptionGroup var decision: Decision
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                try await CenterCommands.send(
                    .centerDecideResolution,
                    body: CenterDecideResolution(
                        assignmentID: assignment, approve: try decision.approved(), note: decision.note,
                        operatorName: decision.operatorOption.name),
                    client: client)
            }
        }
    }

    struct DecideExtension: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decide-extension", abstract: "Approve or deny an extension request (answered by the sla-timer).")
        @Argument(help: "The request id (from assignment.extension-requested).") var request: String
        @OptionGroup var decision: Decision
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                try await CenterCommands.send(
                    .centerDecideExtension,
                    body: CenterDecideExtension(
                        requestID: request, approve: try decision.approved(), note: decision.note,
                        operatorName: decision.operatorOption.name),
                    client: client)
            }
        }
    }
}
