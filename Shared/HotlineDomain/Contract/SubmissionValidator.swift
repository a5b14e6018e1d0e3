import Foundation

/// The limits the submission validator applies; `.default` is the contract's.
public struct SubmissionLimits: Sendable, Equatable {
    /// The largest accepted body, in bytes (256 KiB).
    public var maxBodyBytes: Int
    /// How far `received_at` may lie after the validator's `now` (clock skew between gateway and platform).
    public var futureSkew: TimeInterval
    /// The deepest JSON nesting accepted.
    public var maxDepth: Int
    /// `description` (and a demand's description, an on-call answer), in characters.
    public var maxDescriptionLength: Int
    /// `title`, in characters.
    public var maxTitleLength: Int
    /// `location.address`, in characters.
    public var maxAddressLength: Int
    /// Names, streets, communities, operator notes and other short texts, in characters.
    public var maxShortTextLength: Int
    /// Codes: `category`, `knowledge_id`, in characters.
    public var maxCodeLength: Int
    /// `not_accepted.note`, in characters.
    public var maxNoteLength: Int
    /// The most demands in one submission.
    public var maxDemands: Int
    /// The most attachments in one submission.
    public var maxAttachments: Int
    /// How far `received_at` may lie before the validator's `now`; nil: no limit.
    public var maxAge: TimeInterval?

    public init(
        maxBodyBytes: Int = 256 * 1024, futureSkew: TimeInterval = 5 * 60, maxDepth: Int = 32,
        maxDescriptionLength: Int = 10_000, maxTitleLength: Int = 200, maxAddressLength: Int = 500,
        maxShortTextLength: Int = 100, maxCodeLength: Int = 64, maxNoteLength: Int = 2_000,
        maxDemands: Int = 20, maxAttachments: Int = 50
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.futureSkew = futureSkew
        self.maxDepth = maxDepth
        self.maxDescriptionLength = maxDescriptionLength
        self.maxTitleLength = maxTitleLength
        self.maxAddressLength = maxAddressLength
        self.maxShortTextLength = maxShortTextLength
        self.maxCodeLength = maxCodeLength
        self.maxNoteLength = maxNoteLength
        self.maxDemands = maxDemands
        self.maxAttachments = maxAttachments
        self.maxAge = nil
    }

    /// The contract's limits.
    public static let `default` = SubmissionLimits()
}

/// The result of validating a submission: the submission, or every problem found.
public enum SubmissionValidation: Sendable, Equatable {
    case valid(Submission)
    case invalid([FieldProblem])

    /// The submission, when valid.
    public var submission: Submission? {
        if case .valid(let submission) = self { return submission }
        return nil
    }

    /// The problems, empty when valid.
    public var problems: [FieldProblem] {
        if case .invalid(let problems) = self { return problems }
        return []
    }
}

/// Checks a `ticket.submit` body against every rule of the contract, reporting every problem at once.
///
/// Pure and total: it never crashes and never throws, whatever the bytes (huge, non-UTF-8, truncated,
/// deeply nested, odd Unicode). Lengths are counted in Unicode code points.
public enum SubmissionValidator {
    /// Validates raw message bytes.
    public static func validate(body: Data, now: Date, limits: SubmissionLimits = .default) -> SubmissionValidation {
        validate(body: [UInt8](body), now: now, limits: limits)
    }

    /// Validates raw message bytes.
    public static func validate(body: [UInt8], now: Date, limits: SubmissionLimits = .default) -> SubmissionValidation {
        switch parseObject(body, limits: limits) {
        case .problem(let problem):
            return .invalid([problem])
        case .object(let object):
            return validate(object: object, now: now, limits: limits)
        }
    }

    /// Best effort: the `submission_id` of a body, even an invalid one, when it can be read (for
    /// `submission.invalid`). Nil when the body is not a JSON object or the id is not a 1-64 character string.
    public static func probableSubmissionID(body: Data, limits: SubmissionLimits = .default) -> String? {
        guard case .object(let object) = parseObject([UInt8](body), limits: limits),
              case .string(let id)? = object["submission_id"],
              (1...64).contains(id.unicodeScalars.count), !id.containsNUL
        else { return nil }
        return id
    }

    // MARK: - Body

    private enum ParsedBody {
        case object([String: JSONValue])
        case problem(FieldProblem)
    }

    private static func parseObject(_ body: [UInt8], limits: SubmissionLimits) -> ParsedBody {
        if body.count > limits.maxBodyBytes {
            return .problem(FieldProblem(field: "body", problem: "larger than \(limits.maxBodyBytes / 1024) KiB"))
        }
        if String(validating: body, as: UTF8.self) == nil {
            return .problem(FieldProblem(field: "body", problem: "not UTF-8"))
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(body, maxDepth: limits.maxDepth)
        } catch {
            return .problem(FieldProblem(field: "body", problem: "not valid JSON: \(error.description)"))
        }
        guard case .object(let object) = value else {
            return .problem(FieldProblem(field: "body", problem: "must be a JSON object, not \(value.typeDescription)"))
        }
        return .object(object)
    }

    // MARK: - Fields

    private static func validate(object: [String: JSONValue], now: Date, limits: SubmissionLimits) -> SubmissionValidation {
        var check = Checker(limits: limits)

        let submissionID = check.string(object, "submission_id", path: "submission_id", required: true, maxLength: 64)
        if let id = submissionID, id.isEmpty {
            check.add("submission_id", "must be 1-64 characters")
        }
        let channel = check.enumeration(object, "channel", path: "channel", required: true, as: Channel.self)
        let receivedAt = check.time(object, "received_at", path: "received_at", required: true, now: now)
        let citizen = check.citizen(object["citizen"], path: "citizen")
        let kind = check.enumeration(object, "kind", path: "kind", required: false, as: TicketKind.self)
        let urgency = check.enumeration(object, "urgency", path: "urgency", required: false, as: Urgency.self)
        let category = check.string(object, "category", path: "category", required: false, nonBlank: true, maxLength: limits.maxCodeLength)
        let title = check.string(object, "title", path: "title", required: false, maxLength: limits.maxTitleLength)
        let description = check.string(object, "description", path: "description", required: true, nonBlank: true, maxLength: limits.maxDescriptionLength)
        let location = check.location(object["location"], path: "location")
        let demands = check.demands(object["demands"], path: "demands")
        let answered = check.answeredOnCall(object["answered_on_call"], path: "answered_on_call")
        let notAccepted = check.notAccepted(object["not_accepted"], path: "not_accepted")
        let attachments = check.attachments(object["attachments"], path: "attachments")
        let verifyOnSite = check.bool(object, "verify_on_site", path: "verify_on_site", required: false)
        let superiorCase = check.superiorCase(object["superior_case"], path: "superior_case")

        if answered != nil, notAccepted != nil {
            check.add("not_accepted", "cannot be combined with answered_on_call")
        }
        if let demands, demands.count >= 2, answered != nil || notAccepted != nil {
            check.add("demands", "cannot be combined with answered_on_call or not_accepted")
        }
        if superiorCase != nil, let channel, !channel.isSuperior {
            check.add("superior_case", "only for the national and provincial channels")
        }
        if let superiorCase, let receivedAt, superiorCase.resolveBy <= receivedAt {
            check.add("superior_case.resolve_by", "not after received_at")
        }
        if verifyOnSite == true, answered != nil || notAccepted != nil {
            check.add("verify_on_site", "cannot be combined with answered_on_call or not_accepted")
        }

        guard check.problems.isEmpty else { return .invalid(check.problems) }
        guard let submissionID, let channel, let receivedAt, let citizen, let description else {
            // Unreachable: every missing required field was reported above.
            return .invalid([FieldProblem(field: "body", problem: "incomplete")])
        }
        return .valid(Submission(
            submissionID: submissionID, channel: channel, receivedAt: receivedAt, citizen: citizen,
            kind: kind, urgency: urgency, category: category, title: title, description: description,
            location: location, demands: demands, answeredOnCall: answered, notAccepted: notAccepted,
            attachments: attachments, verifyOnSite: verifyOnSite, superiorCase: superiorCase))
    }

    /// Collects problems while reading a JSON tree field by field.
    private struct Checker {
        let limits: SubmissionLimits
        var problems: [FieldProblem] = []

        init(limits: SubmissionLimits) { self.limits = limits }

        mutating func add(_ field: String, _ problem: String) {
            problems.append(FieldProblem(field: field, problem: problem))
        }

        /// The value of `key`, treating an explicit `null` as absent; reports `required` when needed.
        mutating func present(_ object: [String: JSONValue], _ key: String, path: String, required: Bool) -> JSONValue? {
            guard let value = object[key], value != .null else {
                if required { add(path, "required") }
                return nil
            }
            return value
        }

        mutating func string(
            _ object: [String: JSONValue], _ key: String, path: String, required: Bool,
            nonBlank: Bool = false, maxLength: Int
        ) -> String? {
            guard let value = present(object, key, path: path, required: required) else { return nil }
            return string(value, path: path, nonBlank: nonBlank, maxLength: maxLength)
        }

        mutating func string(_ value: JSONValue, path: String, nonBlank: Bool, maxLength: Int) -> String? {
            guard case .string(let text) = value else {
                add(path, "must be a string, not \(value.typeDescription)")
                return nil
            }
            var ok = true
            if nonBlank, text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
                add(path, "must not be blank")
                ok = false
            }
            if text.unicodeScalars.count > maxLength {
                add(path, "longer than \(maxLength) characters")
                ok = false
            }
            if text.unicodeScalars.contains("\u{0}") {
                add(path, JSONValue.nulProblem)
                ok = false
            }
            return ok ? text : nil
        }

        mutating func enumeration<E: RawRepresentable & CaseIterable>(
            _ object: [String: JSONValue], _ key: String, path: String, required: Bool, as type: E.Type
        ) -> E? where E.RawValue == String {
            guard let value = present(object, key, path: path, required: required) else { return nil }
            return enumeration(value, path: path, as: type)
        }

        mutating func enumeration<E: RawRepresentable & CaseIterable>(
            _ value: JSONValue, path: String, as type: E.Type
        ) -> E? where E.RawValue == String {
            guard case .string(let text) = value, let result = E(rawValue: text) else {
                add(path, "must be one of: " + E.allCases.map(\.rawValue).joined(separator: ", "))
                return nil
            }
            return result
        }

        mutating func bool(_ object: [String: JSONValue], _ key: String, path: String, required: Bool) -> Bool? {
            guard let value = present(object, key, path: path, required: required) else { return nil }
            guard case .bool(let flag) = value else {
                add(path, "must be a boolean, not \(value.typeDescription)")
                return nil
            }
            return flag
        }

        mutating func number(_ object: [String: JSONValue], _ key: String, path: String, range: ClosedRange<Double>) -> Double? {
            guard let value = present(object, key, path: path, required: false) else { return nil }
            guard case .number(let number) = value else {
                add(path, "must be a number, not \(value.typeDescription)")
                return nil
            }
            guard range.contains(number) else {
                add(path, "must be between \(Int(range.lowerBound)) and \(Int(range.upperBound))")
                return nil
            }
            return number
        }

        mutating func object(_ value: JSONValue?, path: String, required: Bool) -> [String: JSONValue]? {
            guard let value, value != .null else {
                if required { add(path, "required") }
                return nil
            }
            guard case .object(let object) = value else {
                add(path, "must be an object, not \(value.typeDescription)")
                return nil
            }
            return object
        }

        mutating func time(_ object: [String: JSONValue], _ key: String, path: String, required: Bool, now: Date) -> Date? {
            guard let value = present(object, key, path: path, required: required) else { return nil }
            guard case .string(let text) = value else {
                add(path, "must be a string, not \(value.typeDescription)")
                return nil
            }
            guard let date = RFC3339.strictDate(from: text) else {
                add(path, "not an RFC 3339 time with an offset")
                return nil
            }
            guard date.timeIntervalSince(now) <= limits.futureSkew else {
                add(path, "in the future")
                return nil
            }
            if let maxAge = limits.maxAge, now.timeIntervalSince(date) > maxAge {
                add(path, "too far in the past")
                return nil
            }
            return date
        }

        mutating func citizen(_ value: JSONValue?, path: String) -> Citizen? {
            guard let object = object(value, path: path, required: true) else { return nil }
            let before = problems.count
            let name = string(object, "name", path: path + ".name", required: false, maxLength: limits.maxShortTextLength)
            let anonymous = bool(object, "anonymous", path: path + ".anonymous", required: true)
            let phone = string(object, "phone", path: path + ".phone", required: false, maxLength: limits.maxShortTextLength)
            let callback = enumeration(object, "callback", path: path + ".callback", required: false, as: CallbackChannel.self)
            let phoneGiven = object["phone"].map { $0 != .null } ?? false
            if anonymous != true {
                if !phoneGiven {
                    add(path + ".phone", "required unless anonymous")
                } else if let phone, phone.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
                    add(path + ".phone", "required unless anonymous")
                }
            }
            if let phone, !phone.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }),
               !MainlandPhoneNumber.isPlausible(phone) {
                add(path + ".phone", "not a plausible phone number")
            }
            guard problems.count == before, let anonymous else { return nil }
            let usablePhone = phone.flatMap { $0.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) ? nil : $0 }
            return Citizen(name: name, phone: usablePhone, anonymous: anonymous, callback: callback)
        }

        mutating func location(_ value: JSONValue?, path: String) -> Location? {
            guard let object = object(value, path: path, required: false) else { return nil }
            let before = problems.count
            let street = string(object, "street", path: path + ".street", required: false, maxLength: limits.maxShortTextLength)
            let community = string(object, "community", path: path + ".community", required: false, maxLength: limits.maxShortTextLength)
            let address = string(object, "address", path: path + ".address", required: false, maxLength: limits.maxAddressLength)
            let lat = number(object, "lat", path: path + ".lat", range: -90...90)
            let lon = number(object, "lon", path: path + ".lon", range: -180...180)
            let latGiven = object["lat"].map { $0 != .null } ?? false
            let lonGiven = object["lon"].map { $0 != .null } ?? false
            if latGiven, !lonGiven { add(path + ".lon", "required with lat") }
            if lonGiven, !latGiven { add(path + ".lat", "required with lon") }
            guard problems.count == before else { return nil }
            return Location(street: street, community: community, address: address, lat: lat, lon: lon)
        }

        mutating func demands(_ value: JSONValue?, path: String) -> [Demand]? {
            guard let value, value != .null else { return nil }
            guard case .array(let items) = value else {
                add(path, "must be an array, not \(value.typeDescription)")
                return nil
            }
            if items.count == 1 {
                add(path, "must hold 2 or more demands (or none)")
            } else if items.count > limits.maxDemands {
                add(path, "more than \(limits.maxDemands) demands")
                return nil
            }
            let before = problems.count
            var demands: [Demand] = []
            for (index, item) in items.enumerated() {
                let itemPath = "\(path)[\(index)]"
                guard let object = object(item, path: itemPath, required: true) else { continue }
                let category = string(object, "category", path: itemPath + ".category", required: false, nonBlank: true, maxLength: limits.maxCodeLength)
                let description = string(object, "description", path: itemPath + ".description", required: true, nonBlank: true, maxLength: limits.maxDescriptionLength)
                let location = location(object["location"], path: itemPath + ".location")
                if let description {
                    demands.append(Demand(category: category, description: description, location: location))
                }
            }
            return problems.count == before ? demands : nil
        }

        mutating func answeredOnCall(_ value: JSONValue?, path: String) -> AnsweredOnCall? {
            guard let object = object(value, path: path, required: false) else { return nil }
            let before = problems.count
            let answer = string(object, "answer", path: path + ".answer", required: true, nonBlank: true, maxLength: limits.maxDescriptionLength)
            let knowledgeID = string(object, "knowledge_id", path: path + ".knowledge_id", required: false, nonBlank: true, maxLength: limits.maxCodeLength)
            guard problems.count == before, let answer else { return nil }
            return AnsweredOnCall(answer: answer, knowledgeID: knowledgeID)
        }

        mutating func notAccepted(_ value: JSONValue?, path: String) -> NotAccepted? {
            guard let object = object(value, path: path, required: false) else { return nil }
            let before = problems.count
            let reason = enumeration(object, "reason", path: path + ".reason", required: true, as: NonAcceptanceReason.self)
            let note = string(object, "note", path: path + ".note", required: false, maxLength: limits.maxNoteLength)
            guard problems.count == before, let reason else { return nil }
            return NotAccepted(reason: reason, note: note)
        }

        mutating func superiorCase(_ value: JSONValue?, path: String) -> SuperiorCase? {
            guard let object = object(value, path: path, required: false) else { return nil }
            let before = problems.count
            let platform = string(object, "platform", path: path + ".platform", required: true, nonBlank: true, maxLength: limits.maxShortTextLength)
            let caseNo = string(object, "case_no", path: path + ".case_no", required: true, nonBlank: true, maxLength: limits.maxCodeLength)
            let resolveBy = futureTime(object, "resolve_by", path: path + ".resolve_by")
            guard problems.count == before, let platform, let caseNo, let resolveBy else { return nil }
            return SuperiorCase(platform: platform, caseNo: caseNo, resolveBy: resolveBy)
        }

        /// A required RFC 3339 time that may lie anywhere ahead (a deadline).
        mutating func futureTime(_ object: [String: JSONValue], _ key: String, path: String) -> Date? {
            guard let value = present(object, key, path: path, required: true) else { return nil }
            guard case .string(let text) = value else {
                add(path, "must be a string, not \(value.typeDescription)")
                return nil
            }
            guard let date = RFC3339.strictDate(from: text) else {
                add(path, "not an RFC 3339 time with an offset")
                return nil
            }
            return date
        }

        mutating func attachments(_ value: JSONValue?, path: String) -> [JSONValue]? {
            guard let value, value != .null else { return nil }
            guard case .array(let items) = value else {
                add(path, "must be an array, not \(value.typeDescription)")
                return nil
            }
            guard items.count <= limits.maxAttachments else {
                add(path, "more than \(limits.maxAttachments) attachments")
                return nil
            }
            let before = problems.count
            for (index, item) in items.enumerated() {
                for found in item.pathsWithNUL(at: "\(path)[\(index)]") { add(found, JSONValue.nulProblem) }
            }
            return problems.count == before ? items : nil
        }

    }
}
