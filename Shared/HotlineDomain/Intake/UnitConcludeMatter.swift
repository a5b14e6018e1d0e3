import Foundation

/// `unit.conclude-matter`: the unit that handled a ticket to its end files the written conclusion
/// notice (事件终结告知书) it gave the citizen (PS §15(六): 报区民生诉求服务中心备案). From then on the
/// same matter raised again by the same citizen without new facts is not accepted (`concluded_matter`).
public struct UnitConcludeMatter: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.unitConcludeMatter
    /// The ticket concluded; it must be closed.
    public var ticketNo: String
    /// The notice's document number.
    public var noticeNo: String
    /// When the unit issued the notice.
    public var issuedAt: Date
    /// What the notice concluded, for the center's file (no personal data).
    public var note: String?

    public init(ticketNo: String, noticeNo: String, issuedAt: Date, note: String? = nil) {
        self.ticketNo = ticketNo
        self.noticeNo = noticeNo
        self.issuedAt = issuedAt
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case ticketNo = "ticket_no"
        case noticeNo = "notice_no"
        case issuedAt = "issued_at"
        case note
    }

    /// The longest notice number and note, in characters.
    public static let maxNoticeNo = 64, maxNote = 500

    public func validationProblems() -> [String] {
        var problems = required(("ticket_no", ticketNo), ("notice_no", noticeNo))
        if noticeNo.count > Self.maxNoticeNo { problems.append("notice_no must be at most \(Self.maxNoticeNo) characters") }
        if let note, note.count > Self.maxNote { problems.append("note must be at most \(Self.maxNote) characters") }
        return problems
    }
}
