import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime

/// Consumes `hotline.knowledge.events`: a consultation answered on the call (`ticket.answered`) with a
/// `knowledge_id` records the entry it used, and whether it was in force then (docs/rules.md
/// "Knowledge base"), for the report's knowledge-base figures.
struct ConsultationUses: Sendable {
    static let consumer = "knowledge.events"

    let runtime: ServiceRuntime

    func handle(_ delivery: Delivery) async -> Disposition {
        let event: any HotlineEvent
        switch runtime.decodeEvent(delivery, accepting: [.ticketAnswered]) {
        case .ignored: return .ack
        case .unreadable: return .retry
        case .event(let decoded): event = decoded
        }
        guard let answered = event as? TicketAnswered, let ticketNo = answered.ticketNo,
              let knowledgeID = answered.knowledgeID
        else { return .ack }
        return await runtime.apply(delivery, consumer: Self.consumer) { connection, _ in
            // The call was answered when the gateway received it.
            KnowledgeStore.recordUse(ticketNo: ticketNo, knowledgeID: knowledgeID, answeredAt: answered.receivedAt, on: connection)
            return []
        }
    }
}
