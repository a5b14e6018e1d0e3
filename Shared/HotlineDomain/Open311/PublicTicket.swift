import Foundation

/// What the public may know of a ticket (docs/open311.md "Looking requests up"): never the citizen's
/// name, phone, words or house address. The open311 service reads it; `serviceRequest` writes it as
/// a GeoReport v2 service request.
public struct PublicTicket: Sendable, Equatable {
    /// A unit handling the ticket now.
    public struct Handler: Sendable, Equatable {
        public var unit: String
        public var role: AssignmentRole?
        public var resolveBy: Date?

        public init(unit: String, role: AssignmentRole?, resolveBy: Date?) {
            self.unit = unit
            self.role = role
            self.resolveBy = resolveBy
        }
    }

    /// One step of its history the public may know.
    public struct Step: Sendable, Equatable {
        public var at: Date
        public var action: String
        public var detail: [String: String]

        public init(at: Date, action: String, detail: [String: String] = [:]) {
            self.at = at
            self.action = action
            self.detail = detail
        }
    }

    public var ticketNo: String
    public var status: TicketStatus
    public var kind: TicketKind?
    public var category: String?
    public var title: String?
    public var street: String?
    public var community: String?
    public var lat: Double?
    public var lon: Double?
    public var receivedAt: Date
    public var updatedAt: Date
    public var rejectionReason: String?
    public var rejectionBasis: String?
    public var emergencyNumber: String?
    public var mergedInto: String?
    /// The units handling it now (not those whose assignment was cancelled or returned).
    public var handlers: [Handler]
    /// Its history, oldest first: the actions of `publicActions`, and the units' approved replies
    /// (action `replied`, detail `reply`).
    public var steps: [Step]

    public init(
        ticketNo: String, status: TicketStatus, kind: TicketKind? = nil, category: String? = nil, title: String? = nil,
        street: String? = nil, community: String? = nil, lat: Double? = nil, lon: Double? = nil, receivedAt: Date,
        updatedAt: Date, rejectionReason: String? = nil, rejectionBasis: String? = nil, emergencyNumber: String? = nil,
        mergedInto: String? = nil, handlers: [Handler] = [], steps: [Step] = []
    ) {
        self.ticketNo = ticketNo
        self.status = status
        self.kind = kind
        self.category = category
        self.title = title
        self.street = street
        self.community = community
        self.lat = lat
        self.lon = lon
        self.receivedAt = receivedAt
        self.updatedAt = updatedAt
        self.rejectionReason = rejectionReason
        self.rejectionBasis = rejectionBasis
        self.emergencyNumber = emergencyNumber
        self.mergedInto = mergedInto
        self.handlers = handlers
        self.steps = steps
    }

    /// The history actions a status note is written for.
    public static let publicActions = [
        "accepted", "not_accepted", "merged", "split", "dispatched", "manual_dispatch", "extended", "reopened", "closed",
    ]

    /// Kinds never shown (reports, 举报) and non-acceptance reasons never shown, to protect whoever
    /// raised them.
    public static let hiddenKinds: [TicketKind] = [.report]
    public static let hiddenReasons: [NonAcceptanceReason] = [.secretOrPrivacy]

    /// Whether the public may see it at all (`hiddenKinds`, `hiddenReasons`).
    public var isPublic: Bool {
        !Self.hiddenKinds.contains { $0 == kind } && !Self.hiddenReasons.contains { $0.rawValue == rejectionReason }
    }

    /// `open` while being handled, else `closed`.
    public var isOpen: Bool { TicketStatus.open.contains(status) }

    /// The lead unit: the lead, first responsible or sole handler, or the first.
    var lead: Handler? {
        handlers.first { [.lead, .sole, .firstResponsible].contains($0.role) } ?? handlers.first
    }

    /// The ticket as a GeoReport v2 service request.
    public func serviceRequest(catalogue: Open311Catalogue, timeZone: TimeZone) -> [Open311Field] {
        let item = category.flatMap(catalogue.item)
        let names = (lead.map { [$0] } ?? []) + handlers.filter { $0 != lead }
        let agencies = names.map { catalogue.jurisdiction.unit($0.unit)?.name ?? $0.unit }
        let expected = isOpen ? lead?.resolveBy : nil
        var notice: String?
        if let expected { notice = "办理期限 \(Self.localTime(expected, timeZone))" }
        if status == .rejected {
            notice = [rejectionBasis, emergencyNumber.map { "请拨打 \($0)" }].compactMap { $0 }.joined(separator: "；")
        }
        if let mergedInto { notice = "并入工单 \(mergedInto) 办理" }
        let address = [street, community].compactMap { $0 }.joined(separator: " ")
        func rounded(_ degrees: Double?) -> Open311Value { .number(degrees.map { ($0 * 1000).rounded() / 1000 }) }
        return [
            .text("service_request_id", ticketNo), .text("status", isOpen ? "open" : "closed"),
            .text("status_notes", notes(catalogue: catalogue, timeZone: timeZone)), .text("service_name", item?.name),
            .text("service_code", category), .text("description", title ?? item?.name),
            .text("agency_responsible", agencies.isEmpty ? nil : agencies.joined(separator: "、")),
            .text("service_notice", notice?.isEmpty == false ? notice : nil),
            .text("requested_datetime", RFC3339.string(from: receivedAt, timeZone: timeZone)),
            .text("updated_datetime", RFC3339.string(from: updatedAt, timeZone: timeZone)),
            .text("expected_datetime", expected.map { RFC3339.string(from: $0, timeZone: timeZone) }),
            .text("address", address.isEmpty ? nil : address), .text("address_id", nil), .text("zipcode", nil),
            Open311Field("lat", rounded(lat)), Open311Field("long", rounded(lon)), .text("media_url", nil),
        ]
    }

    /// One line per public step, oldest first, each with its local time.
    func notes(catalogue: Open311Catalogue, timeZone: TimeZone) -> String? {
        func units(_ codes: String?) -> String {
            (codes ?? "").split(separator: ",").map { catalogue.jurisdiction.unit(String($0))?.name ?? String($0) }.joined(separator: "、")
        }
        let lines: [(Date, String)] = steps.compactMap { step in
            let text: String? = switch step.action {
            case "accepted": "已受理"
            case "not_accepted": "不予受理（\(step.detail["reason"] ?? "other")）"
            case "merged": "与工单 \(step.detail["into"] ?? "") 为同一事项，并案办理"
            case "dispatched": "已派发至 \(units(step.detail["units"]))"
            case "manual_dispatch": "待中心人工派发"
            case "extended": step.detail["resolve_by"].flatMap(RFC3339.date(from:)).map { "办理期限延长至 \(Self.localTime($0, timeZone))" }
            case "split": "拆分为 \((step.detail["children"] ?? "").replacingOccurrences(of: ",", with: "、")) 分别办理"
            case "replied": "答复：\(step.detail["reply"] ?? "")"
            case "reopened": "市民不满意，重新办理"
            case "closed" where step.detail["as"] == "answered": "已当场答复"
            case "closed" where step.detail["as"] == nil: "已办结"
            default: nil
            }
            return text.map { (step.at, $0) }
        }
        guard !lines.isEmpty else { return nil }
        return lines.sorted { $0.0 < $1.0 }.map { "\(Self.localTime($0.0, timeZone)) \($0.1)" }.joined(separator: "\n")
    }

    /// `yyyy-MM-dd HH:mm` in `timeZone`.
    static func localTime(_ date: Date, _ timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}
