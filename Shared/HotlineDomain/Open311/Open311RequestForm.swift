import Foundation

/// The fields of a `POST /requests` (form-encoded, docs/open311.md "Posting a request"), and the
/// submission they make: the checks only HTTP can get wrong are made here; the rest is intake's.
public struct Open311RequestForm: Sendable, Equatable {
    /// The standard fields by name (a repeated field: its last value).
    public var fields: [String: String]
    /// `attribute[code]` values by code.
    public var attributes: [String: String]

    public init(fields: [String: String], attributes: [String: String] = [:]) {
        self.fields = fields
        self.attributes = attributes
    }

    /// Reads `application/x-www-form-urlencoded` text (`+` is a space; the query string's
    /// parameters, given first, are read the same way and the body's win).
    public init(encoded parts: String...) {
        var fields: [String: String] = [:]
        var attributes: [String: String] = [:]
        for part in parts {
            for (name, value) in FormEncoding.pairs(part) {
                if name.hasPrefix("attribute["), name.hasSuffix("]") {
                    attributes[String(name.dropFirst("attribute[".count).dropLast())] = value
                } else {
                    fields[name] = value
                }
            }
        }
        self.init(fields: fields, attributes: attributes)
    }

    /// A field's value, trimmed; nil when absent or blank.
    public func value(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// The `ticket.submit` body of this request (docs/contract.md "Submissions"), as `submissionID`
    /// sent on `channel` at `receivedAt`; or the problems that make it unanswerable as a request.
    public func submission(
        submissionID: String, channel: Channel, receivedAt: Date, catalogue: Open311Catalogue
    ) throws(Open311Failure) -> JSONValue {
        guard let code = value("service_code") else { throw Open311Failure(400, "service_code: required") }
        guard let item = catalogue.item(code) else { throw Open311Failure.notFound("service_code \(code): no such service") }
        var problems: [String] = []

        var location: [String: JSONValue] = [:]
        let lat = value("lat"), long = value("long")
        switch (lat, long) {
        case (let lat?, let long?):
            if let lat = Double(lat), let long = Double(long) {
                location["lat"] = .number(lat)
                location["lon"] = .number(long)
            } else {
                problems.append("lat, long: not numbers")
            }
        case (nil, nil): break
        default: problems.append("lat, long: give both or neither")
        }
        var address = value("address_string")
        if let id = value("address_id") { address = [address, "address_id:\(id)"].compactMap { $0 }.joined(separator: " ") }
        if let address { location["address"] = .string(address) }
        if location.isEmpty { problems.append("lat/long, address_string or address_id: one is required") }

        let known = Dictionary(uniqueKeysWithValues: catalogue.attributes(of: item).map { ($0.code, $0) })
        var attributes: [String: String] = [:]
        for (code, value) in self.attributes.sorted(by: { $0.key < $1.key }) {
            guard let attribute = known[code] else {
                problems.append("attribute[\(code)]: not an attribute of service \(item.code)")
                continue
            }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            if let problem = attribute.problem(with: trimmed) { problems.append(problem) } else { attributes[code] = trimmed }
        }
        guard problems.isEmpty else { throw Open311Failure(400, problems) }

        if let street = attributes["street"] { location["street"] = .string(street) }
        if let community = attributes["community"] { location["community"] = .string(community) }
        var citizen: [String: JSONValue] = ["anonymous": .bool(value("phone") == nil)]
        if let phone = value("phone") { citizen["phone"] = .string(phone) }
        let name = [value("last_name"), value("first_name")].compactMap { $0 }.joined()
        if !name.isEmpty { citizen["name"] = .string(name) }
        if let callback = attributes["callback"] { citizen["callback"] = .string(callback) }
        var body: [String: JSONValue] = [
            "submission_id": .string(submissionID), "channel": .string(channel.rawValue),
            "received_at": .string(RFC3339.preciseString(from: receivedAt)), "citizen": .object(citizen),
            "description": .string(fields["description"] ?? ""), "category": .string(item.code), "location": .object(location),
        ]
        for key in ["kind", "urgency", "title"] { if let value = attributes[key] { body[key] = .string(value) } }
        if let media = value("media_url") { body["attachments"] = .array([.object(["media_url": .string(media)])]) }
        return .object(body)
    }

    /// The form field a `submission.invalid` problem's field path came from (`citizen.phone` →
    /// `phone`), so that the client hears of the fields it sent.
    public static func formField(of path: String) -> String {
        for (prefix, field) in fieldOfPath where path == prefix || path.hasPrefix(prefix + ".") || path.hasPrefix(prefix + "[") {
            return field
        }
        return path
    }

    private static let fieldOfPath: [(String, String)] = [
        ("citizen.phone", "phone"), ("citizen.name", "last_name"), ("citizen.callback", "attribute[callback]"),
        ("citizen.anonymous", "phone"), ("location.lat", "lat"), ("location.lon", "long"), ("location.address", "address_string"),
        ("location.street", "attribute[street]"), ("location.community", "attribute[community]"), ("title", "attribute[title]"),
        ("kind", "attribute[kind]"), ("urgency", "attribute[urgency]"), ("category", "service_code"), ("attachments", "media_url"),
    ]
}
