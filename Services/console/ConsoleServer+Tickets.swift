import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import Hummingbird

/// Finding tickets and a ticket's page (docs/console.md "Tickets"). Lists show phone numbers
/// masked; only the ticket page shows the citizen's details, and every view of it is recorded.
extension ConsoleServer {
    struct TicketsPage: Sendable {
        let chrome: Chrome
        let query: Query
        let searched: Bool
        let results: [Line]
        let none: Bool
        let capped: Bool
        let units: [Option]
        let categories: [Option]
        let statuses: [Option]

        struct Query: Sendable {
            let no: String
            let phone: String
            let from: String
            let to: String
        }

        struct Line: Sendable {
            let ticketNo: String
            let receivedAt: String
            let status: String
            let category: String
            let title: String
            let street: String
            let urgency: String
            let phone: String
            let units: String
        }
    }

    struct Option: Sendable {
        let value: String
        let title: String
        let selected: Bool
    }

    func addTickets(to router: Hummingbird.Router<ConsoleContext>) {
        // The search form is posted: a phone number stays out of URLs, the browser's history and the
        // proxy's access log. A link may still search by the other fields.
        router.get("/tickets") { request, context in
            await page(context, needs: .readTickets) { visitor in
                var query = Form(query: request)
                query.remove("phone")
                return try await searchPage(query, visitor: visitor, remote: context.remote)
            }
        }
        router.post("/tickets") { request, context in
            await page(context, needs: .readTickets) { visitor in
                try await searchPage(try await postedForm(request, visitor), visitor: visitor, remote: context.remote)
            }
        }
        router.get("/tickets/:no") { _, context in
            await page(context, needs: .readTickets) { visitor in
                let ticketNo = context.parameters.get("no") ?? ""
                guard let file = try await tickets.file(ticketNo) else { throw ConsoleFailure("没有工单 \(ticketNo)", status: .notFound) }
                try await audit.record("ticket_viewed", by: visitor.name, subject: ticketNo, remote: context.remote, at: now)
                let viewers = try await audit.recent(subject: ticketNo, action: "ticket_viewed", limit: 20)
                let reference = try await reference()
                return pages.render(
                    "ticket", try TicketPage(file, viewers: viewers, visitor: visitor, chrome: chrome(visitor, current: "/tickets"),
                                             directory: Directory(reference: reference), now: now))
            }
        }
    }

    private func searchPage(_ form: Form, visitor: Visitor, remote: String?) async throws -> Response {
        let reference = try await reference()
        let calendar = reference.calendar
        func day(_ field: String, plus days: Int = 0) throws -> Date? {
            guard let text = form[field] else { return nil }
            guard let date = CalendarDate(text) else { throw ConsoleFailure("日期格式应为 YYYY-MM-DD：\(text)") }
            return ReportQuery.start(of: date.adding(days: days))
        }
        let search = TicketFiles.Search(
            ticketNo: form["no"], phone: form["phone"], unit: form["unit"], category: form["category"], status: form["status"],
            from: try day("from"), to: try day("to", plus: 1))
        let found = search.isEmpty ? [] : try await tickets.search(search)
        if let phone = search.phone {
            try await audit.record(
                "tickets_searched_by_phone", by: visitor.name,
                detail: ["phone": Redaction.maskPhone(CitizenKeys.canonicalPhone(phone) ?? phone), "found": "\(found.count)"],
                remote: remote, at: now)
        }
        let directory = Directory(reference: reference)
        func options(_ all: [(String, String)], _ chosen: String?) -> [Option] {
            all.map { Option(value: $0.0, title: $0.1, selected: $0.0 == chosen) }
        }
        return pages.render("tickets", TicketsPage(
            chrome: chrome(visitor, current: "/tickets"),
            query: .init(no: form["no"] ?? "", phone: form["phone"] ?? "", from: form["from"] ?? "", to: form["to"] ?? ""),
            searched: !search.isEmpty,
            results: found.map { ticket in
                .init(
                    ticketNo: ticket.ticketNo, receivedAt: Wording.time(ticket.receivedAt, in: calendar),
                    status: Wording.word(ticket.status, in: Wording.statuses), category: directory.categoryName(ticket.category),
                    title: Redaction.maskPhoneNumbers(ticket.title), street: ticket.street ?? "",
                    urgency: Wording.urgency(ticket.urgency), phone: ticket.phone.map(Redaction.maskPhone) ?? "—",
                    units: ticket.units.map(directory.unitName).joined(separator: "、"))
            },
            none: !search.isEmpty && found.isEmpty, capped: found.count >= TicketFiles.limit,
            units: options(directory.units.map { ($0.code, $0.name) }, form["unit"]),
            categories: options(directory.categories, form["category"]),
            statuses: options(Wording.statuses.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, form["status"])))
    }
}
