import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// A notification about to be sent.
struct NotificationDraft {
    var channel: NotificationChannel
    var audience: NotificationAudience
    var recipient: NotificationRecipient
    var template: String
    var text: String
    var ticketNo: String?
    var dedupKey: String
    var urgent: Bool
}

/// The `notifications` table: each `dedup_key` once, ever. A new notification is published at once
/// (returned for the outbox of the caller's transaction) or, when it is not urgent and falls outside
/// working hours, kept with `send_after` for the release poller.
enum NotificationStore {
    static func submit(
        _ draft: NotificationDraft, rules: NotificationRules, calendar: WorkingCalendar, now: Date,
        on connection: PostgresConnection
    ) throws -> [OutboxMessage] {
        try record(draft, rules: rules, calendar: calendar, now: now, on: connection).messages
    }

    /// `submit`, also telling whether the key was new.
    static func record(
        _ draft: NotificationDraft, rules: NotificationRules, calendar: WorkingCalendar, now: Date,
        on connection: PostgresConnection
    ) throws -> (new: Bool, messages: [OutboxMessage]) {
        let notification = HotlineNotification(
            notificationID: UUID().uuidString, channel: draft.channel, audience: draft.audience,
            recipient: draft.recipient, template: draft.template, text: draft.text, ticketNo: draft.ticketNo,
            dedupKey: draft.dedupKey)
        let sendAfter = try QuietHours.sendAfter(
            now: now, urgent: draft.urgent, audience: draft.audience, rules: rules, calendar: calendar)
        let body = try HotlineJSON.encode(notification)
        let immediate = sendAfter <= now
        let inserted = try connection.query(
            """
            INSERT INTO notifications (dedup_key, notification_id, channel, audience, routing_key, template, ticket_no,
                                       urgent, body, created_at, send_after, sent_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (dedup_key) DO NOTHING RETURNING notification_id
            """,
            [draft.dedupKey, notification.notificationID, draft.channel.rawValue, draft.audience.rawValue,
             notification.routingKey, draft.template, draft.ticketNo, draft.urgent, body, now, sendAfter,
             immediate ? now : nil])
        guard !inserted.isEmpty else { return (false, []) }
        guard immediate else { return (true, []) }
        return (true, [.notification(id: notification.notificationID, routingKey: notification.routingKey, body: body)])
    }

    /// Claims the waiting notifications whose time has come and marks them sent; returns their outbox
    /// messages (written by the caller in the same transaction).
    static func releaseDue(limit: Int, now: Date, on connection: PostgresConnection) throws -> [OutboxMessage] {
        let rows = try connection.query(
            """
            SELECT dedup_key, notification_id, routing_key, body FROM notifications
            WHERE sent_at IS NULL AND send_after <= $1
            ORDER BY send_after LIMIT $2 FOR UPDATE SKIP LOCKED
            """, [now, limit])
        var messages: [OutboxMessage] = []
        for row in rows {
            connection.write(
                "UPDATE notifications SET sent_at = $2 WHERE dedup_key = $1", [try row.decode("dedup_key", as: String.self), now])
            messages.append(.notification(
                id: try row.decode("notification_id"), routingKey: try row.decode("routing_key"),
                body: try row.decode("body")))
        }
        return messages
    }

    /// The earliest waiting notification.
    static func nextDue(on connection: PostgresConnection) throws -> Date? {
        try connection.query("SELECT min(send_after) AS due FROM notifications WHERE sent_at IS NULL")
            .first?.decodeIfPresent("due", as: Date.self)
    }
}
