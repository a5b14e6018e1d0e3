import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The center's dispatch of a ticket (人工派单).
extension AssignmentCommands {
    func centerDispatch(_ command: CenterDispatch) throws -> CommandEffect {
        guard case .center = issuer else { throw CommandRefusal(.forbidden, "center.dispatch only from the center") }
        guard let locked = try LockedTicket.lock(command.ticketNo, on: connection) else {
            throw CommandRefusal(.notFound, "no ticket \(String(command.ticketNo.prefix(64)))")
        }
        let status = locked.ticket.status
        guard TicketStatus.open.contains(status), locked.live.isEmpty else {
            let holders = locked.live.map(\.unit).joined(separator: ", ")
            throw CommandRefusal(
                .wrongState,
                holders.isEmpty
                    ? "ticket \(locked.ticketNo) is \(status.rawValue) and cannot be dispatched"
                    : "ticket \(locked.ticketNo) is being handled by \(holders)")
        }
        let plans = try context.router.plan(command).get()
        let (messages, dispatched) = try context.factory.create(plans, for: locked, mode: command.mode.rawValue)
        try history(locked.ticketNo, "dispatched", [
            "units": plans.map(\.unit).joined(separator: ","), "mode": command.mode.rawValue, "note": command.note ?? "",
        ])
        let event = TicketDispatched(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignments: dispatched,
            mode: command.mode, manual: status == .manual, commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(event), messages: messages)
    }
}
