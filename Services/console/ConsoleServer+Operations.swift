import Foundation
import HotlineDomain
import HotlineRuntime
import Hummingbird

/// The operations pages (docs/console.md "Operations"): the dead letters, to look at and requeue,
/// and the audit log. Dead letters' bodies are shown with phone numbers masked.
extension ConsoleServer {
    struct DeadPage: Sendable {
        let chrome: Chrome
        let letters: [Letter]
        let none: Bool
        let id: String

        struct Letter: Sendable {
            let index: Int
            let id: String
            let type: String
            let queue: String
            let reason: String
            let count: Int64
            let time: String
            let target: String
            let body: String
        }
    }

    struct AuditPage: Sendable {
        let chrome: Chrome
        let user: String
        let subject: String
        let entries: [Entry]

        struct Entry: Sendable {
            let time: String
            let user: String
            let action: String
            let subject: String
            let detail: String
            let outcome: String
            let remote: String
        }
    }

    static let deadLetterLimit = 200

    /// A dead letter's body for the page: its first 2,000 bytes with phone numbers masked (a whole
    /// body is masked when it is a JSON text of at most 64 KiB, `phone` fields by name; otherwise a
    /// little more than is shown, so that no number is cut before it is masked).
    static func maskedBody(_ letter: DeadLetter) -> String {
        let shown = 2000
        let whole = letter.message.body.count <= 64 * 1024
        let masked = whole
            ? Redaction.maskPhones(inJSON: letter.bodyText(maxBody: 0).text)
            : Redaction.maskPhoneNumbers(letter.bodyText(maxBody: shown + 64).text)
        let bytes = Array(masked.utf8)
        return bytes.count <= shown ? masked : String(decoding: bytes.prefix(shown), as: UTF8.self) + " …"
    }

    func addOperations(to router: Hummingbird.Router<ConsoleContext>) {
        router.get("/operations/dead") { request, context in
            await page(context, needs: .operateDeadLetters) { visitor in
                let calendar = try await reference().calendar
                // One letter by its message_id (from a log line, say) is looked for among them all.
                let wanted = Form(query: request)["id"]
                let letters = try await DeadLetters.browse(runtime.amqp, limit: wanted == nil ? Self.deadLetterLimit : 100_000) { _, letters in
                    letters.filter { wanted == nil || $0.message.properties.messageID == wanted }
                }
                // Their bodies hold citizens' data as sent (masked phones aside): who looked is recorded.
                try await audit.record(
                    "dead_letters_viewed", by: visitor.name, subject: wanted, detail: ["letters": "\(letters.count)"], remote: context.remote,
                    at: now)
                return pages.render("dead", DeadPage(
                    chrome: chrome(visitor, current: "/operations/dead"),
                    letters: letters.map { letter in
                        .init(
                            index: letter.index, id: letter.message.properties.messageID ?? "", type: letter.message.properties.type ?? "—",
                            queue: letter.queue, reason: letter.reason, count: letter.count, time: Wording.time(letter.time, in: calendar),
                            target: "\(letter.originalExchange)/\(letter.originalRoutingKey)",
                            body: Self.maskedBody(letter))
                    },
                    none: letters.isEmpty, id: wanted ?? ""))
            }
        }
        router.post("/operations/dead/requeue") { request, context in
            await page(context, needs: .operateDeadLetters) { visitor in
                let form = try await postedForm(request, visitor)
                guard let id = form["id"] else { throw ConsoleFailure("请选择要重新投递的死信") }
                // Recorded first: a requeue never happens unrecorded.
                try await audit.record("dead_letter_requeued", by: visitor.name, subject: id, remote: context.remote, at: now)
                let amqp = runtime.amqp
                let (requeued, failed) = try await DeadLetters.browse(amqp, limit: 100_000) { browser, letters in
                    try await DeadLetters.requeue(
                        letters.filter { $0.message.properties.messageID == id }, browser: browser, logger: runtime.logger
                    ) { _ in .success(amqp) }
                }
                guard !requeued.isEmpty else {
                    try await audit.record("dead_letter_not_requeued", by: visitor.name, subject: id, remote: context.remote, at: now)
                    throw ConsoleFailure(failed.first.map { "未能重新投递 \(id)：\($0.target)" } ?? "没有 message_id 为 \(id) 的死信")
                }
                return .redirect(to: "/operations/dead", type: .normal)
            }
        }
        router.get("/operations/audit") { request, context in
            await page(context, needs: .readAudit) { visitor in
                let form = Form(query: request)
                let calendar = try await reference().calendar
                let entries = try await audit.recent(user: form["user"], subject: form["subject"], limit: 300)
                return pages.render("audit", AuditPage(
                    chrome: chrome(visitor, current: "/operations/audit"), user: form["user"] ?? "", subject: form["subject"] ?? "",
                    entries: entries.map { entry in
                        .init(
                            time: Wording.time(entry.at, in: calendar), user: entry.user, action: Wording.word(entry.action, in: Self.auditActions),
                            subject: entry.subject ?? "", detail: entry.detail == "{}" ? "" : entry.detail,
                            outcome: entry.outcome.map { Wording.word($0, in: Wording.outcomes) } ?? "", remote: entry.remote ?? "")
                    }))
            }
        }
    }

    static let auditActions: [String: String] = [
        "signed_in": "登录", "signed_out": "退出", "sign_in_failed": "登录失败", "sign_in_refused": "登录被拒（失败次数过多）",
        "ticket_viewed": "查看工单", "tickets_searched_by_phone": "按电话查询工单", "dead_letter_requeued": "重新投递死信", "dead_letter_not_requeued": "死信未能重新投递", "dead_letters_viewed": "查看死信",
        "command_not_sent": "指令未发出",
        "center.dispatch": "派单", "center.decide-return": "审核退回", "center.decide-extension": "审核延期",
        "center.decide-resolution": "审核办结", "center.flag-knowledge": "知识库纠错",
    ]
}
