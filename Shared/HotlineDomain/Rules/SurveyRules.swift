import Foundation

/// Callback surveys (回访) and when they send a ticket back for re-handling (PS §20(一), PL §17-20,
/// DY (10)-(11)).
public struct SurveyRules: Codable, Sendable, Hashable {
    /// The form of the `ratings` of a `survey.response`.
    public var scale: Scale
    /// A survey not answered within this expires (no rating).
    public var expiresAfter: TimeLimit
    /// Star ratings (scale `stars`).
    public var stars: Stars?
    /// Satisfaction levels, best first (scales `levels` and `questions`: the `satisfaction` rating).
    public var levels: [String]?
    /// Levels that send the ticket back for re-handling.
    public var rehandleLevels: [String]?
    /// Questions asked (scale `questions`: contacted, solved, satisfaction, trust).
    public var questions: [String]?
    /// The citizen asking for re-handling at the callback re-dispatches the ticket (PS §20(一)).
    public var rehandleOnRequest: Bool
    /// How many re-handlings one ticket may get (PL §18: 1; nil: no limit).
    public var maxRehandlings: Int?
    /// The survey after a re-handling is final (PL §20).
    public var secondSurveyFinal: Bool
    /// A final dissatisfaction makes the center call the citizen back for the reasons (PL §20).
    public var callbackAfterFinalDissatisfaction: Bool
    /// A unit may ask to exclude (核减) an unreasonable dissatisfaction (DY (11)).
    public var exclusionAllowed: Bool
    /// Who must sign the exclusion request (DY (11): the unit's principal leader, with the seal).
    public var exclusionRequires: String?

    /// Survey forms.
    public enum Scale: String, Codable, Sendable, Hashable {
        /// Several 1-5 star dimensions (pingshan).
        case stars
        /// One satisfaction level (pingli).
        case levels
        /// Several questions, one of them a satisfaction level (daye).
        case questions
    }

    /// Star dimensions (pingshan: speed, effect, experience, feedback; 1-5).
    public struct Stars: Codable, Sendable, Hashable {
        public var dimensions: [String]
        public var min: Int
        public var max: Int
        /// A rating at or below this in one of `rehandleDimensions` sends the ticket back.
        public var rehandleAtMost: Int
        public var rehandleDimensions: [String]
        /// The dimension that says whether the problem was solved (问题解决率), when the callback does
        /// not ask it outright: solved when rated at least `solvedAtLeast`.
        public var solvedDimension: String?
        public var solvedAtLeast: Int?

        enum CodingKeys: String, CodingKey {
            case dimensions, min, max
            case rehandleAtMost = "rehandle_at_most"
            case rehandleDimensions = "rehandle_dimensions"
            case solvedDimension = "solved_dimension"
            case solvedAtLeast = "solved_at_least"
        }

        /// Whether `ratings` say the problem was solved; nil when the form does not tell.
        public func solved(_ ratings: [String: Int]) -> Bool? {
            guard let solvedDimension, let solvedAtLeast, let stars = ratings[solvedDimension] else { return nil }
            return stars >= solvedAtLeast
        }
    }

    enum CodingKeys: String, CodingKey {
        case scale
        case expiresAfter = "expires_after"
        case stars, levels, questions
        case rehandleLevels = "rehandle_levels"
        case rehandleOnRequest = "rehandle_on_request"
        case maxRehandlings = "max_rehandlings"
        case secondSurveyFinal = "second_survey_final"
        case callbackAfterFinalDissatisfaction = "callback_after_final_dissatisfaction"
        case exclusionAllowed = "exclusion_allowed"
        case exclusionRequires = "exclusion_requires"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        scale = try c.decode(Scale.self, forKey: .scale)
        expiresAfter = try c.decode(TimeLimit.self, forKey: .expiresAfter)
        stars = try c.decodeIfPresent(Stars.self, forKey: .stars)
        levels = try c.decodeIfPresent([String].self, forKey: .levels)
        rehandleLevels = try c.decodeIfPresent([String].self, forKey: .rehandleLevels)
        questions = try c.decodeIfPresent([String].self, forKey: .questions)
        rehandleOnRequest = try c.decodeIfPresent(Bool.self, forKey: .rehandleOnRequest) ?? false
        maxRehandlings = try c.decodeIfPresent(Int.self, forKey: .maxRehandlings)
        secondSurveyFinal = try c.decodeIfPresent(Bool.self, forKey: .secondSurveyFinal) ?? false
        callbackAfterFinalDissatisfaction =
            try c.decodeIfPresent(Bool.self, forKey: .callbackAfterFinalDissatisfaction) ?? false
        exclusionAllowed = try c.decodeIfPresent(Bool.self, forKey: .exclusionAllowed) ?? false
        exclusionRequires = try c.decodeIfPresent(String.self, forKey: .exclusionRequires)
    }

    /// Whether star ratings are a dissatisfaction that sends the ticket back (a missing dimension is
    /// not counted).
    public func isDissatisfied(stars ratings: [String: Int]) -> Bool {
        guard let stars else { return false }
        return stars.rehandleDimensions.contains { ratings[$0].map { $0 <= stars.rehandleAtMost } ?? false }
    }

    /// Whether a satisfaction level sends the ticket back.
    public func isDissatisfied(level: String) -> Bool { rehandleLevels?.contains(level) ?? false }

    /// Whether one more re-handling is allowed after `done` re-handlings.
    public func mayRehandle(after done: Int) -> Bool {
        guard let maxRehandlings else { return true }
        return done < maxRehandlings
    }
}
