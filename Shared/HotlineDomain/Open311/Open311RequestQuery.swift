import Foundation

/// The filters of `GET /requests` (docs/open311.md "Looking requests up").
public struct Open311RequestQuery: Sendable, Equatable {
    /// Ticket numbers; when given, every other filter is ignored.
    public var ids: [String]?
    public var serviceCodes: [String]?
    public var start: Date
    public var end: Date
    /// Open tickets, closed ones, or both.
    public var open: Bool
    public var closed: Bool

    /// The most requests one answer lists, the newest first.
    public static let limit = 1000
    /// The longest span between `start_date` and `end_date`, and the default span before now.
    public static let maximumSpan: TimeInterval = 90 * 86_400

    /// The tickets numbered `ids`, whenever received.
    public init(ids: [String]) {
        self.ids = ids
        start = .distantPast
        end = .distantFuture
        open = true
        closed = true
    }

    /// Reads the query parameters, checking them; `now` ends the default span.
    public init(_ parameters: [String: String], now: Date) throws(Open311Failure) {
        func list(_ name: String) -> [String]? {
            let items = (parameters[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return items.isEmpty ? nil : items
        }
        var problems: [String] = []
        func date(_ name: String) -> Date? {
            guard let text = parameters[name], !text.isEmpty else { return nil }
            guard let date = RFC3339.date(from: text) else {
                problems.append("\(name): not an RFC 3339 time with an offset (2026-12-01T00:00:00Z)")
                return nil
            }
            return date
        }
        ids = list("service_request_id")
        serviceCodes = list("service_code")
        let start = date("start_date"), end = date("end_date")
        self.end = end ?? start?.addingTimeInterval(Self.maximumSpan) ?? now
        self.start = start ?? self.end.addingTimeInterval(-Self.maximumSpan)
        if self.start > self.end { problems.append("start_date: after end_date") }
        if self.end.timeIntervalSince(self.start) > Self.maximumSpan { problems.append("start_date, end_date: more than 90 days apart") }
        let statuses = list("status") ?? ["open", "closed"]
        for status in statuses where status != "open" && status != "closed" {
            problems.append("status: \(status) is not open or closed")
        }
        open = statuses.contains("open")
        closed = statuses.contains("closed")
        if let ids, ids.count > Self.limit { problems.append("service_request_id: more than \(Self.limit) ids") }
        guard problems.isEmpty else { throw Open311Failure(400, problems) }
    }
}
