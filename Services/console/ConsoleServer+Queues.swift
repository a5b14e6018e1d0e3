import Foundation
import HotlineDomain
import HotlineRuntime
import Hummingbird

/// The work queues and acting on their items (docs/console.md "Work queues").
extension ConsoleServer {
    struct QueuesPage: Sendable {
        let chrome: Chrome
        let tabs: [Tab]
        let title: String
        let items: [ItemView]
        let empty: Bool

        struct Tab: Sendable {
            let href: String
            let title: String
            let count: Int
            let current: Bool
        }
    }

    /// One item with the form that decides it.
    struct ItemPage: Sendable {
        let chrome: Chrome
        let csrf: String
        let queueTitle: String
        let back: String
        let item: ItemView
        let dispatch: Bool
        let returns: Bool
        let extensions: Bool
        let resolutions: Bool
        let units: [Directory.Unit]
        let modes: [Mode]

        struct Mode: Sendable {
            let value: String
            let title: String
        }
    }

    struct ItemView: Sendable {
        let id: String
        let round: String
        let path: String
        let ticketNo: String
        let title: String
        let category: String
        let urgency: String
        let unit: String?
        let summary: String
        let waitingSince: String
        let waited: String
        let deadline: String
        let deadlineStanding: String?
        let overdue: Bool
        let takenBy: String?
    }

    struct OutcomePage: Sendable {
        let chrome: Chrome
        let queueTitle: String
        let back: String
        let ticketNo: String?
        let success: Bool
        let pending: Bool
        let headline: String
        let detail: String?
    }

    func addQueues(to router: Hummingbird.Router<ConsoleContext>) {
        router.get("/queues") { request, context in
            await page(context) { visitor in
                let allowed = WorkQueue.allCases.filter { visitor.may($0.permission) }
                guard let first = allowed.first else { throw ConsoleFailure("您的角色（\(visitor.role.title)）没有待办队列", status: .forbidden) }
                let asked = Form(query: request)["queue"].flatMap(WorkQueue.init(rawValue:))
                let queue = asked.flatMap { allowed.contains($0) ? $0 : nil } ?? first
                let reference = try await reference()
                let counts = try await workItems.counts()
                let items = try await workItems.items(queue, planner: DeadlinePlanner(profile: reference.profile, calendar: reference.calendar))
                let directory = Directory(reference: reference)
                return pages.render("queues", QueuesPage(
                    chrome: chrome(visitor, current: "/queues"),
                    tabs: allowed.map { .init(href: $0.path, title: $0.title, count: counts[$0] ?? 0, current: $0 == queue) },
                    title: queue.title, items: items.map { view($0, directory: directory, calendar: reference.calendar) },
                    empty: items.isEmpty))
            }
        }
        router.get("/queues/:queue/:id") { _, context in
            await page(context) { visitor in
                let queue = try allowedQueue(context, visitor)
                let reference = try await reference()
                let item: WorkItems.Item
                switch try await waiting(queue, context.parameters.get("id") ?? "", reference: reference, visitor: visitor) {
                case .waiting(let found): item = found
                case .gone(let page): return page
                }
                let directory = Directory(reference: reference)
                return pages.render("item", ItemPage(
                    chrome: chrome(visitor, current: "/queues"), csrf: visitor.csrfToken, queueTitle: queue.title, back: queue.path,
                    item: view(item, directory: directory, calendar: reference.calendar), dispatch: queue == .dispatch,
                    returns: queue == .returns, extensions: queue == .extensions,
                    resolutions: queue == .resolutions || queue == .stageResolutions, units: directory.units,
                    modes: Wording.modes.map { .init(value: $0.0.rawValue, title: $0.1) }))
            }
        }
        router.post("/queues/:queue/:id") { request, context in
            await page(context) { visitor in
                let queue = try allowedQueue(context, visitor)
                let form = try await postedForm(request, visitor)
                let reference = try await reference()
                let item: WorkItems.Item
                switch try await waiting(queue, context.parameters.get("id") ?? "", reference: reference, visitor: visitor) {
                case .waiting(let found): item = found
                case .gone(let page): return page
                }
                // The form decides the round it was shown: a new return request or resubmitted
                // resolution of the same assignment is a new item.
                guard form["round"] == item.round else {
                    throw ConsoleFailure("该事项在您查看后已有新的申请，请重新查看后再处理", status: .conflict)
                }
                let decision = try DecisionForm.command(form, queue: queue, item: item, visitor: visitor)
                let outcome = try await actions.act(on: item, command: decision, visitor: visitor, remote: context.remote, now: now)
                return pages.render("outcome", self.outcome(
                    outcome, title: queue.title, ticketNo: item.ticketNo, back: queue.path, visitor: visitor,
                    calendar: reference.calendar))
            }
        }
    }

    private enum Lookup {
        case waiting(WorkItems.Item)
        /// The page for an item no longer waiting: who took it, or 404.
        case gone(Response)
    }

    /// The item `id` if it still waits in `queue`, else the page that says who took it.
    private func waiting(_ queue: WorkQueue, _ id: String, reference: ReferenceData, visitor: Visitor) async throws -> Lookup {
        let planner = DeadlinePlanner(profile: reference.profile, calendar: reference.calendar)
        if let item = try await workItems.item(queue, id: id, planner: planner) { return .waiting(item) }
        guard let taken = try await actions.claim(of: queue.claimPrefix(id)) else {
            throw ConsoleFailure("该事项已不在「\(queue.title)」队列中（可能已由他人或其他途径处理）", status: .notFound)
        }
        return .gone(pages.render("outcome", outcome(
            taken, title: queue.title, ticketNo: nil, back: queue.path, visitor: visitor, calendar: reference.calendar)))
    }

    /// The queue the path names, if the person may decide its items.
    private func allowedQueue(_ context: ConsoleContext, _ visitor: Visitor) throws -> WorkQueue {
        guard let queue = context.parameters.get("queue").flatMap(WorkQueue.init(rawValue:)) else {
            throw ConsoleFailure("没有这个队列", status: .notFound)
        }
        guard visitor.may(queue.permission) else { throw ConsoleFailure("您的角色（\(visitor.role.title)）不能处理\(queue.title)", status: .forbidden) }
        return queue
    }

    private func view(_ item: WorkItems.Item, directory: Directory, calendar: WorkingCalendar) -> ItemView {
        let now = self.now
        let standing = item.deadline.map { WaitingTime.deadline($0, now: now) }
        return ItemView(
            id: item.id, round: item.round, path: "/queues/\(item.queue.rawValue)/\(item.id)", ticketNo: item.ticketNo,
            title: Redaction.maskPhoneNumbers(item.title),
            category: directory.categoryName(item.category), urgency: Wording.urgency(item.urgency),
            unit: item.unit.map(directory.unitName), summary: Redaction.maskPhoneNumbers(item.summary), waitingSince: Wording.time(item.waitingSince, in: calendar),
            waited: WaitingTime.text(now.timeIntervalSince(item.waitingSince)),
            deadline: item.deadline.map { Wording.time($0, in: calendar) } ?? "—", deadlineStanding: standing,
            overdue: item.deadline.map { $0 < now } ?? false,
            takenBy: item.claim.map { claim in
                "\(claim.displayName) 已于 \(Wording.time(claim.claimedAt, in: calendar)) 处理"
                    + (claim.outcomeType.map { "（\(Wording.word($0, in: Wording.outcomes))）" } ?? "（等待结果）")
            })
    }

    /// The page that tells how a decision went; `title` names where it was taken.
    func outcome(
        _ outcome: CenterActions.Outcome, title queueTitle: String, ticketNo: String?, back: String, visitor: Visitor,
        calendar: WorkingCalendar, current: String = "/queues"
    ) -> OutcomePage {
        let chrome = chrome(visitor, current: current)
        switch outcome {
        case .answered(let type, let reason, let message):
            let rejected = type == EventType.commandRejected.rawValue
            return OutcomePage(
                chrome: chrome, queueTitle: queueTitle, back: back, ticketNo: ticketNo, success: !rejected, pending: false,
                headline: Wording.word(type, in: Wording.outcomes),
                detail: rejected ? "\(reason ?? "")：\(message ?? "")" : nil)
        case .pending(let commandID):
            return OutcomePage(
                chrome: chrome, queueTitle: queueTitle, back: back, ticketNo: ticketNo, success: false, pending: true,
                headline: "指令已提交，等待处理结果", detail: "指令编号 \(commandID)；稍后刷新队列查看结果")
        case .taken(let by, let at, let outcomeType):
            return OutcomePage(
                chrome: chrome, queueTitle: queueTitle, back: back, ticketNo: ticketNo, success: false, pending: false,
                headline: "该事项已由 \(by) 于 \(Wording.time(at, in: calendar)) 处理",
                detail: outcomeType.map { "处理结果：\(Wording.word($0, in: Wording.outcomes))" } ?? "处理结果尚未返回")
        }
    }
}
