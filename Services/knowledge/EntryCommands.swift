import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// Consumes `hotline.knowledge.commands`: the units' drafts, reviews and withdrawals and the center's
/// flags (docs/rules.md "Knowledge base"), each answered exactly once through `ServiceRuntime.answer`.
struct EntryCommands: Sendable {
    static let consumer = "knowledge.commands"

    let runtime: ServiceRuntime
    let reference: ReferenceDataCache

    func handle(_ delivery: Delivery) async -> Disposition {
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let commandID = delivery.messageKey
        return await runtime.answer(command: delivery, consumer: Self.consumer) { connection, now in
            let received = try ReceivedCommand(delivery, answeredOn: "the knowledge base's queue")
            let desk = KnowledgeDesk(connection: connection, now: now, reference: reference, commandID: commandID)
            let unit = received.issuer.unitCode
            switch received.command {
            case .unitDraftKnowledge(let command): return try desk.draft(command, by: unit ?? "")
            case .unitReviewKnowledge(let command): return try desk.review(command, by: unit ?? "")
            case .unitWithdrawKnowledge(let command): return try desk.withdraw(command, by: unit ?? "")
            case .centerFlagKnowledge(let command): return try desk.flag(command)
            default: throw received.notAnsweredHere
            }
        }
    }
}

/// One knowledge-base command's effect, inside its transaction.
struct KnowledgeDesk {
    let connection: PostgresConnection
    let now: Date
    let reference: ReferenceData
    let commandID: String

    func draft(_ command: UnitDraftKnowledge, by unit: String) throws -> CommandAnswer {
        if let category = command.category, reference.catalogue.item(code: category) == nil {
            throw CommandRefused(.invalid, "category \(category.prefix(64)) is not an item of the duty catalogue")
        }
        if let validUntil = command.validUntil, validUntil <= now {
            throw CommandRefused(.invalid, "valid_until has passed")
        }
        let entry = try command.knowledgeID.flatMap { try KnowledgeStore.entry($0, on: connection)?.snapshot }
        if let refusal = KnowledgeEntryRules.checkDraft(entry, knowledgeID: command.knowledgeID, by: unit) {
            throw CommandRefused(refusal)
        }
        let knowledgeID = try entry?.knowledgeID ?? KnowledgeStore.newEntry(unit: unit, kind: command.kind, on: connection, now: now)
        let revision = try KnowledgeStore.addDraft(command, to: knowledgeID, commandID: commandID, on: connection, now: now)
        return try answer(KnowledgeDrafted(
            eventID: UUID().uuidString, occurredAt: now, knowledgeID: knowledgeID, revision: revision, unit: unit,
            kind: command.kind, correctionID: entry?.openCorrection, commandID: commandID))
    }

    func review(_ command: UnitReviewKnowledge, by unit: String) throws -> CommandAnswer {
        let entry = try KnowledgeStore.entry(command.knowledgeID, on: connection)
        let draft = try KnowledgeStore.pendingDraft(of: command.knowledgeID, on: connection)
        if let refusal = KnowledgeEntryRules.checkReview(
            entry?.snapshot, knowledgeID: command.knowledgeID, by: unit, draft: draft.map { ($0.revision, $0.editor) },
            revision: command.revision, reviewer: command.reviewer)
        {
            throw CommandRefused(refusal)
        }
        guard let draft else { throw CommandRefused(.wrongState, "no draft") }
        guard command.approve else {
            KnowledgeStore.reject(command.knowledgeID, revision: draft.revision, reviewer: command.reviewer,
                                  note: command.note, on: connection, now: now)
            return try answer(KnowledgeDraftRejected(
                eventID: UUID().uuidString, occurredAt: now, knowledgeID: command.knowledgeID, revision: draft.revision,
                unit: unit, commandID: commandID))
        }
        if let validUntil = draft.validUntil, validUntil <= now {
            throw CommandRefused(.invalid, "the draft's valid_until has passed: draft it again")
        }
        let rules = reference.profile.knowledgeRules
        let effectiveFrom = draft.effectiveFrom ?? now
        let report = draft.publicInterest && draft.kind == .policy
            ? try rules.reportTiming(reportedAt: now, effectiveFrom: effectiveFrom, calendar: reference.calendar)
            : nil
        KnowledgeStore.publish(
            command.knowledgeID, revision: draft.revision, kind: draft.kind, effectiveFrom: effectiveFrom,
            reviewer: command.reviewer, note: command.note, report: report.map { ($0.timing, $0.workingDaysAhead) },
            on: connection, now: now)
        let correction = entry?.correction
        let onTime = correction.map { KnowledgeStore.close($0, as: .corrected, revision: draft.revision, on: connection, now: now) }
        return try answer(KnowledgePublished(
            eventID: UUID().uuidString, occurredAt: now, knowledgeID: command.knowledgeID, revision: draft.revision,
            unit: unit, kind: draft.kind, title: draft.title, effectiveFrom: effectiveFrom, validUntil: draft.validUntil,
            reportTiming: report?.timing, workingDaysAhead: report?.workingDaysAhead,
            correctionID: correction?.correctionID, correctedOnTime: onTime, commandID: commandID))
    }

    func withdraw(_ command: UnitWithdrawKnowledge, by unit: String) throws -> CommandAnswer {
        let entry = try KnowledgeStore.entry(command.knowledgeID, on: connection)
        if let refusal = KnowledgeEntryRules.checkWithdraw(entry?.snapshot, knowledgeID: command.knowledgeID, by: unit) {
            throw CommandRefused(refusal)
        }
        KnowledgeStore.withdraw(command.knowledgeID, reviewer: command.reviewer, reason: command.reason, on: connection, now: now)
        let correction = entry?.correction
        let onTime = correction.map { KnowledgeStore.close($0, as: .withdrawn, revision: nil, on: connection, now: now) }
        return try answer(KnowledgeWithdrawn(
            eventID: UUID().uuidString, occurredAt: now, knowledgeID: command.knowledgeID, unit: unit,
            correctionID: correction?.correctionID, correctedOnTime: onTime, commandID: commandID))
    }

    func flag(_ command: CenterFlagKnowledge) throws -> CommandAnswer {
        let entry = try KnowledgeStore.entry(command.knowledgeID, on: connection)?.snapshot
        if let refusal = KnowledgeEntryRules.checkFlag(entry, knowledgeID: command.knowledgeID) { throw CommandRefused(refusal) }
        guard let entry else { throw CommandRefused(.notFound, "no entry") }
        let dueAt = try reference.profile.knowledgeRules.correctionDue(flaggedAt: now, calendar: reference.calendar)
        let correctionID = try KnowledgeStore.flag(
            entry, problem: command.problem, operatorName: command.operatorName, dueAt: dueAt, on: connection, now: now)
        let title = try KnowledgeStore.publishedTitle(of: entry.knowledgeID, on: connection)
        let notice = KnowledgeCorrectionMessage(
            correctionID: correctionID, knowledgeID: entry.knowledgeID, dueAt: dueAt, problem: command.problem, title: title)
        return try answer(
            KnowledgeFlagged(
                eventID: UUID().uuidString, occurredAt: now, knowledgeID: entry.knowledgeID, correctionID: correctionID,
                unit: entry.unit, dueAt: dueAt, commandID: commandID),
            messages: [try .toUnit(notice, type: .correctionRequested, unit: entry.unit)])
    }

    private func answer<E: HotlineEvent>(_ event: E, messages: [OutboxMessage] = []) throws -> CommandAnswer {
        CommandAnswer(outcome: try .event(event, correlationID: commandID), messages: messages)
    }
}
