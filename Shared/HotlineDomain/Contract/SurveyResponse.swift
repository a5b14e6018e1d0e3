import Foundation

/// `survey.response`: the citizen's answer to a callback survey, from the survey channel.
public struct SurveyResponse: Codable, Sendable, Hashable, CommandBody {
    /// This command's type.
    public static let commandType = CommandType.surveyResponse
    /// The survey.
    public var surveyID: String
    /// The ticket.
    public var ticketNo: String
    /// The ratings, in the profile's shape (e.g. stars per dimension, or a verdict).
    public var ratings: JSONValue
    /// Whether the citizen says it is solved.
    public var solved: Bool?
    /// Whether the citizen says the unit got in touch.
    public var contacted: Bool?
    /// Whether the citizen asks for re-handling.
    public var wantsRehandling: Bool?
    /// The citizen's comment.
    public var comment: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        surveyID: String,
        ticketNo: String,
        ratings: JSONValue,
        solved: Bool? = nil,
        contacted: Bool? = nil,
        wantsRehandling: Bool? = nil,
        comment: String? = nil
    ) {
        self.surveyID = surveyID
        self.ticketNo = ticketNo
        self.ratings = ratings
        self.solved = solved
        self.contacted = contacted
        self.wantsRehandling = wantsRehandling
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey {
        case surveyID = "survey_id"
        case ticketNo = "ticket_no"
        case ratings
        case solved
        case contacted
        case wantsRehandling = "wants_rehandling"
        case comment
    }
}
