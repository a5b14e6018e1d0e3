import Foundation

/// Intake's outcome of a posted request, as the API answers it (docs/open311.md "Posting a request"):
/// read from the outcome event intake stored for the submission.
public struct Open311Outcome: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        /// A ticket was made (accepted, split, answered or merged): its number and a notice.
        case ticket(String, notice: String)
        /// Not accepted, or the submission broke the contract: the errors to answer with.
        case refused(Open311Failure)
    }

    /// The outcome event's type (`ticket.accepted`, `submission.invalid`, …).
    public var type: String
    public var decision: Decision

    /// The outcome event of type `type` with body `event`.
    public init(type: String, event: JSONValue) {
        self.type = type
        let ticketNo = event["ticket_no"]?.stringValue
        switch EventType(rawValue: type) {
        case .ticketMerged?:
            let into = event["merged_into"]?.stringValue ?? "?"
            decision = .ticket(ticketNo ?? into, notice: "与工单 \(into) 为同一事项，已并案办理")
        case .ticketSplit?:
            let children = event["children"]?.arrayValue?.compactMap(\.stringValue) ?? []
            decision = .ticket(ticketNo ?? "", notice: "已受理，拆分为 \(children.joined(separator: "、")) 分别办理")
        case .ticketRejected?:
            var text = "not accepted (不予受理): \(event["reason"]?.stringValue ?? "other")"
            if let basis = event["basis"]?.stringValue, !basis.isEmpty { text += " — \(basis)" }
            if let number = event["emergency_number"]?.stringValue { text += "; emergency: call \(number) (请拨打 \(number))" }
            if let destination = event["transferred_to"]?["name"]?.stringValue {
                text += "; transferred to \(destination)"
                if let phone = event["transferred_to"]?["phone"]?.stringValue { text += " (\(phone))" }
            }
            if let ticketNo { text += "; ticket \(ticketNo)" }
            decision = .refused(Open311Failure(400, text))
        case .submissionInvalid?:
            let problems = (event["errors"]?.arrayValue ?? []).map { problem in
                let field = Open311RequestForm.formField(of: problem["field"]?.stringValue ?? "body")
                return "\(field): \(problem["problem"]?.stringValue ?? "invalid")"
            }
            decision = .refused(Open311Failure(400, problems.isEmpty ? ["body: invalid"] : problems))
        default:
            decision = .ticket(ticketNo ?? "", notice: "已受理，工单号 \(ticketNo ?? "")")
        }
    }

    /// The answer to the `POST` that waited for it.
    public var posted: Open311Answer {
        switch decision {
        case .ticket(let number, let notice):
            return Open311Answer(status: 201, document: .list("service_requests", item: "request", [[
                .text("service_request_id", number), .text("service_notice", notice), .text("account_id", nil),
            ]]))
        case .refused(let failure): return failure.answer
        }
    }

    /// The answer to `GET /tokens/{token}`.
    public func resolved(token: String) -> Open311Answer {
        switch decision {
        case .ticket(let number, _):
            return Open311Answer(status: 200, document: .list("service_requests", item: "request", [[
                .text("token", token), .text("service_request_id", number),
            ]]))
        case .refused(let failure): return failure.answer
        }
    }

    /// The answer to a `POST` whose outcome did not come within the wait.
    public static func pending(token: String) -> Open311Answer {
        Open311Answer(status: 202, document: .list("service_requests", item: "request", [[
            .text("token", token), .text("service_notice", "已收到，正在受理；请凭 token 查询工单号"),
        ]]))
    }

    /// The answer to `GET /tokens/{token}` before the outcome is known.
    public static func unresolved(token: String) -> Open311Answer {
        Open311Answer(status: 200, document: .list("service_requests", item: "request", [[.text("token", token)]]))
    }
}
