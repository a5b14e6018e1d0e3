import Foundation

/// What the early warnings (PS §17, DY (12)) know of one demand: an accepted ticket, or a demand
/// merged into an open one (which counts towards hotspots, frequencies and repeat callers but is no
/// ticket of its own to warn about).
public struct AlertSubject: Sendable, Hashable {
    public var ticketNo: String
    public var urgency: Urgency
    public var category: String?
    public var street: String?
    public var community: String?
    /// Title and description, for the sensitive words.
    public var text: String
    public var receivedAt: Date
    /// The citizen key intake keeps (`CitizenKeys`), never a phone number.
    public var citizenKey: String?
    /// A ticket of its own (`ticket.accepted`): safety and sensitive warnings apply.
    public var ownTicket: Bool

    public init(
        ticketNo: String, urgency: Urgency, category: String?, street: String?, community: String?, text: String,
        receivedAt: Date, citizenKey: String?, ownTicket: Bool
    ) {
        self.ticketNo = ticketNo
        self.urgency = urgency
        self.category = category
        self.street = street
        self.community = community
        self.text = text
        self.receivedAt = receivedAt
        self.citizenKey = citizenKey
        self.ownTicket = ownTicket
    }

    /// This demand as an observation of its group.
    public var observation: AlertObservation {
        AlertObservation(ticketNo: ticketNo, receivedAt: receivedAt, citizenKey: citizenKey)
    }
}

/// One earlier (or this) demand of the same group.
public struct AlertObservation: Sendable, Hashable {
    public var ticketNo: String
    public var receivedAt: Date
    public var citizenKey: String?

    public init(ticketNo: String, receivedAt: Date, citizenKey: String?) {
        self.ticketNo = ticketNo
        self.receivedAt = receivedAt
        self.citizenKey = citizenKey
    }
}

/// An alert to raise, once per `windowKey`.
public struct PlannedAlert: Sendable, Hashable {
    public var kind: AlertKind
    /// `<kind>:<group values>:<window>`; the alert is raised once per key.
    public var windowKey: String
    /// The units warned.
    public var units: [String]
    /// Demands counted (citizens, for a distinct-citizen threshold).
    public var count: Int?
    /// The sensitive words found.
    public var words: [String]
    /// The counting window's anchor (the start of the fixed window holding the earliest counted demand).
    public var windowStart: Date?
    public var threshold: AlertRules.Threshold?
}

/// Decides the early warnings of a demand, with window keys that make each alert once per window.
///
/// Counting alerts (`hotspot`, `high_frequency`, `repeat_caller`) count the demands of the group
/// (the threshold's `same` fields) received in the sliding window `(received_at − within,
/// received_at]`. The key anchors the window at the fixed window (`within` long, aligned to local
/// midnight of the jurisdiction) that holds the earliest counted demand, so a burst of five demands
/// gives one alert, not three: the third, fourth and fifth all count from the same earliest demand.
/// `safety` (urgent and fast tickets) and `sensitive` are about one ticket: their window is the
/// ticket, so a redelivered event never warns twice.
public struct AlertPlanner: Sendable {
    public let rules: AlertRules
    public let notifications: NotificationRules
    public let jurisdiction: JurisdictionFile
    public let calendar: WorkingCalendar

    public init(rules: AlertRules, notifications: NotificationRules, jurisdiction: JurisdictionFile, calendar: WorkingCalendar) {
        self.rules = rules
        self.notifications = notifications
        self.jurisdiction = jurisdiction
        self.calendar = calendar
    }

    /// The counting alerts and their thresholds.
    public var countingThresholds: [(kind: AlertKind, threshold: AlertRules.Threshold)] {
        [(.hotspot, rules.hotspot), (.highFrequency, rules.highFrequency), (.repeatCaller, rules.repeatCaller)]
    }

    /// The group fields of a threshold for a demand, in `same` order; nil when the demand lacks one
    /// (no category, an anonymous citizen without a key): then it is not counted.
    public func group(_ threshold: AlertRules.Threshold, of subject: AlertSubject) -> [(field: String, value: String)]? {
        var values: [(String, String)] = []
        for field in threshold.same {
            let value: String?
            switch field {
            case "category": value = subject.category
            case "street": value = subject.street
            case "community": value = subject.community
            case "citizen": value = subject.citizenKey
            default: value = nil
            }
            guard let value, !value.isEmpty else { return nil }
            values.append((field, value))
        }
        return values
    }

    /// The sliding window of a threshold that ends with the demand.
    public func window(_ threshold: AlertRules.Threshold, endingAt end: Date) throws -> (from: Date, to: Date) {
        (try threshold.within.instant(before: end, calendar: calendar), end)
    }

    /// How many of a group's earliest demands in the window decide a threshold: its count (the
    /// earliest demand anchors the window, and more demands only add to a count already reached). For
    /// distinct citizens a few times that, since one citizen may call often; when those are not enough
    /// (`isDecided` false), the earliest demand of each citizen decides instead.
    public func observationLimit(_ threshold: AlertRules.Threshold) -> Int {
        threshold.distinctCitizens == true ? threshold.count * 8 : threshold.count
    }

    /// Whether the earliest demands read (`limit` asked, `observations` returned) decide the threshold
    /// as all the window's demands would.
    public func isDecided(
        _ threshold: AlertRules.Threshold, subject: AlertSubject, observations: [AlertObservation], limit: Int
    ) -> Bool {
        guard threshold.distinctCitizens == true, observations.count >= limit else { return true }
        let citizens = Set((observations + [subject.observation]).map { $0.citizenKey ?? "ticket:\($0.ticketNo)" })
        return citizens.count >= threshold.count
    }

    /// Every alert the demand raises, given the observations of each counting kind's group (the
    /// demand itself may be among them or not).
    public func plan(_ subject: AlertSubject, observations: [AlertKind: [AlertObservation]]) throws -> [PlannedAlert] {
        var alerts: [PlannedAlert] = []
        if subject.ownTicket, subject.urgency != .normal {
            alerts.append(PlannedAlert(
                kind: .safety, windowKey: "safety:\(subject.ticketNo)", units: units(for: .safety, subject: subject),
                count: nil, words: [], windowStart: nil, threshold: nil))
        }
        if subject.ownTicket {
            let words = rules.sensitiveWords(in: subject.text)
            if !words.isEmpty {
                alerts.append(PlannedAlert(
                    kind: .sensitive, windowKey: "sensitive:\(subject.ticketNo)",
                    units: units(for: .sensitive, subject: subject), count: nil, words: words, windowStart: nil,
                    threshold: nil))
            }
        }
        for (kind, threshold) in countingThresholds {
            if let alert = try counting(kind, threshold, subject: subject, observations: observations[kind] ?? []) {
                alerts.append(alert)
            }
        }
        return alerts
    }

    /// A counting alert, when the group reaches the threshold within the window.
    public func counting(
        _ kind: AlertKind, _ threshold: AlertRules.Threshold, subject: AlertSubject, observations: [AlertObservation]
    ) throws -> PlannedAlert? {
        guard let group = group(threshold, of: subject) else { return nil }
        let (from, to) = try window(threshold, endingAt: subject.receivedAt)
        var seen = Set<String>()
        var counted: [AlertObservation] = []
        for observation in observations + [subject.observation]
        where observation.receivedAt > from && observation.receivedAt <= to && seen.insert(observation.ticketNo).inserted {
            counted.append(observation)
        }
        let count = threshold.distinctCitizens == true
            ? Set(counted.map { $0.citizenKey ?? "ticket:\($0.ticketNo)" }).count
            : counted.count
        guard count >= threshold.count, let earliest = counted.map(\.receivedAt).min() else { return nil }
        let anchor = fixedWindowStart(containing: earliest, length: approximateSeconds(threshold.within))
        let key = ([kind.rawValue] + group.map { $0.field == "citizen" ? String($0.value.prefix(24)) : $0.value }
            + [Self.keyTime(anchor, calendar: calendar)]).joined(separator: ":")
        return PlannedAlert(
            kind: kind, windowKey: key, units: units(for: kind, subject: subject), count: count, words: [],
            windowStart: anchor, threshold: threshold)
    }

    /// The start of the fixed window of `length` seconds (aligned to local midnight of the epoch in the
    /// calendar's time zone) that holds `instant`.
    public func fixedWindowStart(containing instant: Date, length: TimeInterval) -> Date {
        let offset = TimeInterval(calendar.timeZone.secondsFromGMT(for: instant))
        let local = instant.timeIntervalSince1970 + offset
        let start = (local / length).rounded(.down) * length
        return Date(timeIntervalSince1970: start - offset)
    }

    /// A limit's length in seconds; working time counts as its clock equivalent for window anchors.
    public func approximateSeconds(_ limit: TimeLimit) -> TimeInterval {
        switch limit {
        case .minutes(let n): return max(60, TimeInterval(n) * 60)
        case .hours(let n), .workingHours(let n): return max(60, TimeInterval(n) * 3600)
        case .days(let n), .workingDays(let n): return max(60, TimeInterval(n) * 86_400)
        }
    }

    /// The units warned of an alert kind about a demand, without repeats (profile
    /// `escalation.notifications.alerts`).
    public func units(for kind: AlertKind, subject: AlertSubject) -> [String] {
        let targets = notifications.alerts[kind.rawValue]?.units ?? []
        var result: [String] = []
        func add(_ code: String?) {
            if let code, !result.contains(code) { result.append(code) }
        }
        for target in targets {
            switch target {
            case "warned_units":
                jurisdiction.warningUnits(for: subject.urgency, street: subject.street).forEach { add($0) }
            case "street_office":
                add(subject.street.flatMap(jurisdiction.streetOffice(of:)))
            case "responsible_unit":
                add(responsibleUnit(subject))
            default:
                if jurisdiction.unit(target) != nil { add(target) }
            }
        }
        return result
    }

    /// The catalogue item's owner; for a territorial item or none, the street office.
    public func responsibleUnit(_ subject: AlertSubject) -> String? {
        if let code = subject.category, let item = jurisdiction.dutyCatalogue.item(code: code),
            case .unit(let unit) = item.owner
        {
            return unit
        }
        return subject.street.flatMap(jurisdiction.streetOffice(of:))
    }

    /// `20261123T0000`, local time.
    static func keyTime(_ instant: Date, calendar: WorkingCalendar) -> String {
        let date = calendar.localDate(of: instant)
        let seconds = Int(calendar.secondsIntoDay(of: instant))
        return String(format: "%04d%02d%02dT%02d%02d", date.year, date.month, date.day, seconds / 3600, seconds / 60 % 60)
    }
}
