import Foundation

/// The body of a `ticket.submit` message, as published by a hotline gateway (docs/contract.md "Submissions").
///
/// Build one from untrusted bytes with `SubmissionValidator.validate(body:now:limits:)`, which reports
/// every problem; the plain `Decodable` conformance is for trusted, already validated copies.
public struct Submission: Codable, Sendable, Equatable {
    /// The gateway's idempotency key, 1-64 characters.
    public var submissionID: String
    /// Where the demand came from.
    public var channel: Channel
    /// When the demand was received; the handling clock starts here.
    public var receivedAt: Date
    /// Who raised it (personal data).
    public var citizen: Citizen
    /// The kind, when the gateway classified it.
    public var kind: TicketKind?
    /// The urgency, when the gateway classified it.
    public var urgency: Urgency?
    /// A catalogue item code, when the gateway classified it.
    public var category: String?
    /// A short title, at most 200 characters.
    public var title: String?
    /// What the citizen asks, non-blank, at most 10,000 characters.
    public var description: String
    /// Where the matter is.
    public var location: Location?
    /// Two or more separate demands: the ticket is split, one child per demand. Empty means none.
    public var demands: [Demand]?
    /// A consultation answered on the call: the ticket closes at once.
    public var answeredOnCall: AnsweredOnCall?
    /// The operator's non-acceptance.
    public var notAccepted: NotAccepted?
    /// Attachments, free-form.
    public var attachments: [JSONValue]?
    /// A demand assigned by the national or provincial platform (交办), with that platform's own deadline.
    public var superiorCase: SuperiorCase?
    /// The operator asks the street's grid worker to verify the matter on site before it is accepted
    /// (PS §8(一)3); the outcome waits for the verification or its time limit.
    public var verifyOnSite: Bool?

    public init(
        submissionID: String, channel: Channel, receivedAt: Date, citizen: Citizen,
        kind: TicketKind? = nil, urgency: Urgency? = nil, category: String? = nil, title: String? = nil,
        description: String, location: Location? = nil, demands: [Demand]? = nil,
        answeredOnCall: AnsweredOnCall? = nil, notAccepted: NotAccepted? = nil, attachments: [JSONValue]? = nil,
        verifyOnSite: Bool? = nil, superiorCase: SuperiorCase? = nil
    ) {
        self.submissionID = submissionID
        self.channel = channel
        self.receivedAt = receivedAt
        self.citizen = citizen
        self.kind = kind
        self.urgency = urgency
        self.category = category
        self.title = title
        self.description = description
        self.location = location
        self.demands = demands
        self.answeredOnCall = answeredOnCall
        self.notAccepted = notAccepted
        self.attachments = attachments
        self.verifyOnSite = verifyOnSite
        self.superiorCase = superiorCase
    }

    enum CodingKeys: String, CodingKey {
        case submissionID = "submission_id"
        case channel
        case receivedAt = "received_at"
        case citizen, kind, urgency, category, title, description, location, demands
        case answeredOnCall = "answered_on_call"
        case notAccepted = "not_accepted"
        case attachments
        case verifyOnSite = "verify_on_site"
        case superiorCase = "superior_case"
    }

    /// Whether the submission asks for a split (two or more demands).
    public var isSplit: Bool { (demands?.count ?? 0) >= 2 }
}

/// The citizen who raised a demand. Contact data: it leaves the platform only in `assignment.created`.
public struct Citizen: Codable, Sendable, Hashable {
    /// The name as given, if any.
    public var name: String?
    /// A mainland phone number; required unless anonymous.
    public var phone: String?
    /// Whether the citizen asked to stay anonymous.
    public var anonymous: Bool
    /// How the citizen wants to be called back about the result (ZS §23); absent: by SMS.
    public var callback: CallbackChannel?

    public init(name: String? = nil, phone: String? = nil, anonymous: Bool = false, callback: CallbackChannel? = nil) {
        self.name = name
        self.phone = phone
        self.anonymous = anonymous
        self.callback = callback
    }

    enum CodingKeys: String, CodingKey {
        case name, phone, anonymous, callback
    }
}

/// How a citizen wants to be called back (回访) about the result (ZS §23: 电话、短信或者网络等方式).
public enum CallbackChannel: String, Codable, Sendable, CaseIterable {
    /// An SMS invitation to answer the survey (the default).
    case sms
    /// A phone call from the center's callback agents.
    case phone
    /// No callback: the survey is recorded and expires as no response.
    case none
}

/// Where a matter is: street (街道), community (社区), address to the house number, coordinates.
public struct Location: Codable, Sendable, Hashable {
    /// The street (街道) name.
    public var street: String?
    /// The community (社区) name.
    public var community: String?
    /// The address, at most 500 characters.
    public var address: String?
    /// Latitude in degrees, -90...90.
    public var lat: Double?
    /// Longitude in degrees, -180...180.
    public var lon: Double?

    public init(street: String? = nil, community: String? = nil, address: String? = nil, lat: Double? = nil, lon: Double? = nil) {
        self.street = street
        self.community = community
        self.address = address
        self.lat = lat
        self.lon = lon
    }

    enum CodingKeys: String, CodingKey {
        case street, community, address, lat, lon
    }
}

/// One of several demands in one submission (拆分, PS §15(三)).
public struct Demand: Codable, Sendable, Hashable {
    /// A catalogue item code, when known.
    public var category: String?
    /// What is asked, non-blank.
    public var description: String
    /// Where, when it differs from the submission's location.
    public var location: Location?

    public init(category: String? = nil, description: String, location: Location? = nil) {
        self.category = category
        self.description = description
        self.location = location
    }

    enum CodingKeys: String, CodingKey {
        case category, description, location
    }
}

/// A consultation answered on the call from the knowledge base (即时答复, PS §11(一)).
public struct AnsweredOnCall: Codable, Sendable, Hashable {
    /// The answer given, non-blank.
    public var answer: String
    /// The knowledge-base entry used, if any.
    public var knowledgeID: String?

    public init(answer: String, knowledgeID: String? = nil) {
        self.answer = answer
        self.knowledgeID = knowledgeID
    }

    enum CodingKeys: String, CodingKey {
        case answer
        case knowledgeID = "knowledge_id"
    }
}

/// The operator's non-acceptance (不予受理) of a submission.
public struct NotAccepted: Codable, Sendable, Hashable {
    /// The reason code.
    public var reason: NonAcceptanceReason
    /// The operator's note, if any.
    public var note: String?

    public init(reason: NonAcceptanceReason, note: String? = nil) {
        self.reason = reason
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case reason, note
    }
}

/// A demand the national or provincial platform assigned (交办) through the 12345 line: handled under that
/// level's rules (PS §11(一): 按照国家、省有关规定办理), so its deadline is that platform's.
public struct SuperiorCase: Codable, Sendable, Hashable {
    /// The platform that assigned it (e.g. 国务院"互联网+督查"平台, 广东省12345).
    public var platform: String
    /// Its case number there.
    public var caseNo: String
    /// The platform's deadline for the result (办结时限).
    public var resolveBy: Date

    public init(platform: String, caseNo: String, resolveBy: Date) {
        self.platform = platform
        self.caseNo = caseNo
        self.resolveBy = resolveBy
    }

    enum CodingKeys: String, CodingKey {
        case platform
        case caseNo = "case_no"
        case resolveBy = "resolve_by"
    }
}
