import Foundation

/// A `survey.response` checked against the profile's survey form (PS §20(一), PL §17, DY (10)):
/// every problem is listed, or the answer comes back normalised with the profile's verdict.
///
/// - `stars` (pingshan): `ratings` is an object with every dimension (`speed`, `effect`,
///   `experience`, `feedback`) as a whole number from `min` to `max`; no other key. `solved`, when the
///   callback does not give it, follows the profile's `solved_dimension` (effect at 3 stars or more).
/// - `levels` (pingli): `ratings` is one of the levels (`"unsatisfied"`), or `{"satisfaction": level}`.
/// - `questions` (daye): `contacted` and `solved` as booleans (top-level fields, or inside `ratings`),
///   `ratings.satisfaction` and `ratings.trust` as levels.
///
/// `satisfied` is what the satisfaction rate counts: for stars, no rating at or below the re-handling
/// threshold in a re-handling dimension and no request for re-handling; for levels, a level that does
/// not send the ticket back (满意 and 基本满意 both count as satisfied).
public struct SurveyAnswer: Sendable, Hashable {
    /// The ratings, normalised to an object (`{"satisfaction": "unsatisfied"}` for a bare level).
    public var ratings: JSONValue
    /// The satisfaction level (scales `levels` and `questions`).
    public var level: String?
    /// Star ratings per dimension (scale `stars`).
    public var stars: [String: Int]
    public var solved: Bool?
    public var contacted: Bool?
    /// The citizen asked for re-handling.
    public var wantsRehandling: Bool
    public var comment: String?
    /// The ratings are a dissatisfaction that sends the ticket back under the profile.
    public var dissatisfied: Bool
    /// Counted as satisfied in the satisfaction rate.
    public var satisfied: Bool

    /// The longest comment accepted.
    public static let maxCommentLength = 2000

    /// Checks `response` against `rules`; every problem found is listed.
    public static func validate(_ response: SurveyResponse, rules: SurveyRules) -> Result<SurveyAnswer, SurveyProblems> {
        var problems: [FieldProblem] = []
        var stars: [String: Int] = [:]
        var level: String?
        var solved = response.solved
        var contacted = response.contacted
        var normalised: [String: JSONValue] = [:]
        let levels = rules.levels ?? []
        let levelText = levels.joined(separator: ", ")

        if let comment = response.comment, comment.count > maxCommentLength {
            problems.append(FieldProblem(field: "comment", problem: "longer than \(maxCommentLength) characters"))
        }

        switch rules.scale {
        case .stars:
            let form = rules.stars ?? SurveyRules.Stars(dimensions: [], min: 1, max: 5, rehandleAtMost: 0, rehandleDimensions: [])
            let range = "a whole number from \(form.min) to \(form.max)"
            guard let object = response.ratings.objectValue else {
                problems.append(FieldProblem(
                    field: "ratings",
                    problem: "must be an object with \(form.dimensions.joined(separator: ", ")), each \(range)"))
                break
            }
            for dimension in form.dimensions {
                guard let value = object[dimension] else {
                    problems.append(FieldProblem(field: "ratings.\(dimension)", problem: "required"))
                    continue
                }
                guard let stars0 = value.intValue, (form.min...form.max).contains(stars0) else {
                    problems.append(FieldProblem(field: "ratings.\(dimension)", problem: "must be \(range), not \(value)"))
                    continue
                }
                stars[dimension] = stars0
                normalised[dimension] = .number(Double(stars0))
            }
            for key in object.keys.sorted() where !form.dimensions.contains(key) {
                problems.append(FieldProblem(
                    field: "ratings.\(key)", problem: "unknown rating; expected \(form.dimensions.joined(separator: ", "))"))
            }
            // The callback's own question (回访核实) wins over what the stars imply.
            if solved == nil { solved = form.solved(stars) }

        case .levels:
            var given: JSONValue? = response.ratings
            if let object = response.ratings.objectValue {
                given = object["satisfaction"]
                if given == nil { problems.append(FieldProblem(field: "ratings.satisfaction", problem: "required")) }
                for key in object.keys.sorted() where key != "satisfaction" {
                    problems.append(FieldProblem(field: "ratings.\(key)", problem: "unknown rating; expected satisfaction"))
                }
            }
            if let given {
                if let text = given.stringValue, levels.contains(text) {
                    level = text
                    normalised["satisfaction"] = .string(text)
                } else {
                    problems.append(FieldProblem(
                        field: response.ratings.objectValue == nil ? "ratings" : "ratings.satisfaction",
                        problem: "must be one of \(levelText), not \(given)"))
                }
            }

        case .questions:
            let questions = rules.questions ?? []
            guard let object = response.ratings.objectValue else {
                problems.append(FieldProblem(
                    field: "ratings",
                    problem: "must be an object with \(questions.filter { !["contacted", "solved"].contains($0) }.joined(separator: ", "))"))
                for flag in ["contacted", "solved"] where questions.contains(flag) {
                    if (flag == "contacted" ? contacted : solved) == nil {
                        problems.append(FieldProblem(field: flag, problem: "required (true or false)"))
                    }
                }
                break
            }
            for question in questions {
                switch question {
                case "contacted", "solved":
                    var value = question == "contacted" ? contacted : solved
                    if let inner = object[question] {
                        if let flag = inner.boolValue, value == nil || value == flag {
                            value = flag
                        } else {
                            problems.append(FieldProblem(
                                field: "ratings.\(question)", problem: "must be true or false and agree with \(question)"))
                        }
                    }
                    if let value {
                        if question == "contacted" { contacted = value } else { solved = value }
                    } else if object[question] == nil {
                        problems.append(FieldProblem(field: question, problem: "required (true or false)"))
                    }
                default:
                    guard let value = object[question] else {
                        problems.append(FieldProblem(field: "ratings.\(question)", problem: "required"))
                        continue
                    }
                    guard let text = value.stringValue, levels.contains(text) else {
                        problems.append(FieldProblem(
                            field: "ratings.\(question)", problem: "must be one of \(levelText), not \(value)"))
                        continue
                    }
                    normalised[question] = .string(text)
                    if question == "satisfaction" { level = text }
                }
            }
            for key in object.keys.sorted() where !questions.contains(key) {
                problems.append(FieldProblem(
                    field: "ratings.\(key)", problem: "unknown rating; expected \(questions.joined(separator: ", "))"))
            }
        }

        guard problems.isEmpty else { return .failure(SurveyProblems(problems: problems)) }
        let wants = response.wantsRehandling ?? false
        let dissatisfied: Bool
        let satisfied: Bool
        switch rules.scale {
        case .stars:
            dissatisfied = rules.isDissatisfied(stars: stars)
            satisfied = !dissatisfied && !wants
        case .levels, .questions:
            dissatisfied = level.map(rules.isDissatisfied(level:)) ?? false
            satisfied = !dissatisfied
        }
        return .success(SurveyAnswer(
            ratings: .object(normalised), level: level, stars: stars, solved: solved, contacted: contacted,
            wantsRehandling: wants, comment: response.comment, dissatisfied: dissatisfied, satisfied: satisfied))
    }
}

/// Everything wrong with a survey response, for `command.rejected` (`invalid`).
public struct SurveyProblems: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [FieldProblem]

    public init(problems: [FieldProblem]) { self.problems = problems }

    /// One line listing every problem.
    public var description: String {
        "invalid survey response: " + problems.map(\.description).joined(separator: "; ")
    }
}
