import Foundation
import HotlineDomain
import HotlineStorage

/// A ticket's page (docs/console.md "Tickets"): the demand with the citizen's details, the
/// assignments with their deadlines, every deadline and event on one time line, the replies, the
/// surveys, the history, and who viewed the page.
struct TicketPage: Sendable {
    let chrome: Chrome
    let ticketNo: String
    let status: String
    let channel: String
    let kind: String
    let urgency: String
    let category: String
    let title: String
    let description: String
    let place: String
    let receivedAt: String
    let citizenName: String
    let citizenPhone: String
    let anonymous: Bool
    let assignments: [AssignmentView]
    let timeline: [MarkView]
    let resolutions: [ResolutionView]
    let surveys: [SurveyView]
    let history: [HistoryView]
    let viewers: [ViewerView]

    struct AssignmentView: Sendable {
        let id: String
        let unit: String
        let role: String
        let state: String
        let createdAt: String
        /// "延期2次", nil when never extended (Mustache takes a 0 for true).
        let extensions: String?
        let deadlines: [DeadlineView]
    }

    struct DeadlineView: Sendable {
        let title: String
        let due: String
        let done: String
        let standing: String
        let standingClass: String
    }

    struct MarkView: Sendable {
        let time: String
        let deadline: Bool
        let text: String
        let standing: String?
        let standingClass: String?
    }

    struct ResolutionView: Sendable {
        let unit: String
        let kind: String
        let reply: String
        let submittedAt: String
        let decision: String
    }

    struct SurveyView: Sendable {
        let id: String
        let status: String
        let satisfied: String
        let solved: String
        let sentAt: String
        let answeredAt: String
    }

    struct HistoryView: Sendable {
        let time: String
        let actor: String
        let action: String
        let detail: String
    }

    struct ViewerView: Sendable {
        let user: String
        let time: String
    }

    init(_ file: TicketFiles.File, viewers: [AuditLog.Entry], visitor: Visitor, chrome: Chrome, directory: Directory, now: Date) throws {
        let calendar = directory.reference.calendar
        func time(_ date: Date?) -> String { Wording.time(date, in: calendar) }
        func json(_ text: String?) -> JSONValue { text.flatMap { try? JSONValue.parse(Data($0.utf8)) } ?? .null }
        let ticket = file.ticket
        self.chrome = chrome
        ticketNo = try ticket.decode("ticket_no")
        status = Wording.word(try ticket.decode("current_status"), in: Wording.statuses)
        channel = try ticket.decode("channel")
        kind = try ticket.decode("kind")
        urgency = Wording.urgency(try ticket.decode("urgency"))
        category = directory.categoryName(try ticket.decodeIfPresent("category"))
        title = try ticket.decodeIfPresent("title") ?? ""
        description = try ticket.decode("description")
        let location = json(try ticket.decodeIfPresent("location_text"))
        place = [try ticket.decodeIfPresent("street", as: String.self), try ticket.decodeIfPresent("community", as: String.self),
                 location["address"]?.stringValue].compactMap { $0 }.joined(separator: " ")
        receivedAt = time(try ticket.decode("received_at"))
        let citizen = json(try ticket.decodeIfPresent("citizen_text"))
        citizenName = citizen["name"]?.stringValue ?? "—"
        citizenPhone = citizen["phone"]?.stringValue ?? "—"
        anonymous = citizen["anonymous"]?.boolValue ?? false

        var deadlines: [TicketTimeline.Deadline] = []
        var assignmentViews: [AssignmentView] = []
        for (index, row) in file.assignments.enumerated() {
            let unit = directory.unitName(try row.decode("unit"))
            let state: String = try row.decode("state")
            let planned = try? HotlineJSON.decode(AssignmentDeadlines.self, from: Data((try row.decode("deadlines", as: String.self)).utf8))
            let createdAt: Date = try row.decode("created_at")
            let endedAt: Date? = try row.decodeIfPresent("ended_at")
            let resolvedAt = state == "resolved" ? endedAt : nil
            var own: [TicketTimeline.Deadline] = []
            if let planned {
                if index == 0, let dispatchBy = planned.dispatchBy {
                    own.append(.init(unit: "市民热线中心", kind: .dispatch, due: dispatchBy, doneAt: createdAt))
                }
                own.append(.init(unit: unit, kind: .sign, due: planned.signBy, doneAt: try row.decodeIfPresent("signed_at")))
                own.append(.init(unit: unit, kind: .notify, due: planned.notifyBy, doneAt: try row.decodeIfPresent("notified_at")))
                if let feedbackBy = planned.feedbackBy {
                    own.append(.init(unit: unit, kind: .feedback, due: feedbackBy, doneAt: try row.decodeIfPresent("feedback_at")))
                }
                own.append(.init(unit: unit, kind: .resolve, due: planned.resolveBy, doneAt: resolvedAt))
            }
            if let followUpBy: Date = try row.decodeIfPresent("follow_up_by") {
                own.append(.init(unit: unit, kind: .followUp, due: followUpBy, doneAt: resolvedAt))
            }
            // A cancelled or returned assignment's open deadlines no longer run.
            let live = !["cancelled", "returned"].contains(state)
            deadlines += live ? own : own.filter { $0.doneAt != nil }
            assignmentViews.append(AssignmentView(
                id: try row.decode("assignment_id"), unit: unit, role: Wording.word(try row.decode("role"), in: Wording.roles),
                state: Wording.word(state, in: Wording.assignmentStates), createdAt: time(createdAt),
                extensions: try row.decode("extensions", as: Int.self) > 0 ? "延期\(try row.decode("extensions", as: Int.self))次" : nil,
                deadlines: own.map { deadline in
                    let standing = DeadlineStanding(due: deadline.due, doneAt: deadline.doneAt, now: now)
                    return DeadlineView(
                        title: deadline.kind.title, due: time(deadline.due), done: time(deadline.doneAt),
                        standing: live || deadline.doneAt != nil ? standing.title : "不再计时", standingClass: standing.rawValue)
                }))
        }
        assignments = assignmentViews

        var events: [TicketTimeline.Event] = []
        var historyViews: [HistoryView] = []
        for row in file.history {
            let at: Date = try row.decode("at")
            let action = Wording.word(try row.decode("action"), in: Wording.actions)
            let actor: String = try row.decode("actor")
            let who = (try row.decodeIfPresent("operator", as: String.self)).map { "\(actor)（\($0)）" } ?? actor
            let detail = json(try row.decode("detail")).objectValue ?? [:]
            let text = detail.sorted { $0.key < $1.key }.compactMap { key, value in value.stringValue.map { "\(key)=\($0)" } }
                .joined(separator: "；")
            events.append(.init(at: at, actor: who, text: action))
            historyViews.append(HistoryView(time: time(at), actor: who, action: action, detail: Redaction.maskPhoneNumbers(text)))
        }
        for row in file.escalations {
            let tier: Int = try row.decode("tier")
            events.append(.init(
                at: try row.decode("raised_at"), actor: "escalation-notifier",
                text: "超期升级至第\(tier)级（\(directory.unitName(try row.decode("unit")))，超期\(try row.decode("days_overdue", as: Int.self))天）"))
        }
        var surveyViews: [SurveyView] = []
        for row in file.surveys {
            func yesNo(_ value: Bool?) -> String { value.map { $0 ? "是" : "否" } ?? "—" }
            let sentAt: Date = try row.decode("sent_at")
            let answeredAt: Date? = try row.decodeIfPresent("answered_at")
            events.append(.init(at: sentAt, actor: "survey", text: "发送回访"))
            if let answeredAt {
                events.append(.init(at: answeredAt, actor: "survey", text: "市民评价：" + ((try row.decodeIfPresent("satisfied", as: Bool.self)) == true ? "满意" : "不满意")))
            }
            surveyViews.append(SurveyView(
                id: try row.decode("survey_id"), status: try row.decode("status"), satisfied: yesNo(try row.decodeIfPresent("satisfied")),
                solved: yesNo(try row.decodeIfPresent("solved")), sentAt: time(sentAt), answeredAt: time(answeredAt)))
        }
        surveys = surveyViews
        history = historyViews
        resolutions = try file.resolutions.map { row in
            let approved: Bool? = try row.decodeIfPresent("approved")
            return ResolutionView(
                unit: directory.unitName(try row.decode("unit")), kind: try row.decode("kind"), reply: try row.decodeIfPresent("reply") ?? "",
                submittedAt: time(try row.decode("submitted_at")),
                decision: approved.map { $0 ? "已批准" : "已驳回" + ((try? row.decodeIfPresent("note", as: String.self)).flatMap { $0.map { "：\($0)" } } ?? "") } ?? "待审核")
        }
        timeline = TicketTimeline(deadlines: deadlines, events: events, now: now).marks.map { mark in
            if let deadline = mark.deadline, let standing = mark.standing {
                return MarkView(
                    time: time(mark.at), deadline: true, text: "\(deadline.unit) \(deadline.kind.title)", standing: standing.title,
                    standingClass: standing.rawValue)
            }
            return MarkView(time: time(mark.at), deadline: false, text: "\(mark.event?.text ?? "") · \(mark.event?.actor ?? "")", standing: nil, standingClass: nil)
        }
        self.viewers = viewers.map { ViewerView(user: $0.user, time: time($0.at)) }
    }
}
