import Foundation

/// The intake decision (受理, docs/rules.md "Intake"; docs/contract.md "Submissions"): what becomes of a valid
/// submission. Pure: the service reads what `lookup(for:_:)` names from the database, puts it in the
/// context, calls `decide`, and writes the result.
///
/// The rules, in order (the first that applies decides):
/// 1. The operator's `not_accepted` → `ticket.rejected` with the operator's reason.
/// 2. `answered_on_call` → `ticket.answered` (即时答复, PS §11(一), PL §8).
/// 3. Emergency wording (the profile's `emergency_redirects`) → `emergency_redirect` with the number
///    to call (ZS §13(一), PL §7(二)).
/// 4. A demand of another level's hotline (a transfer's `words`, DY (6)), or a street that is not one
///    of the jurisdiction's → `out_of_jurisdiction` (PS §8(二)1), naming the hotline it is transferred to (`transferred_to`) where
///    the jurisdiction file names a destination for it (ZS §24).
/// 5. A description without substance → `no_substance` (PS §8(二)7, PL §7(八)).
/// 6. Anonymous and asserting the caller's own rights, where the profile refuses it →
///    `unverifiable_anonymous` (PL §7(十)).
/// 7. Two or more demands → `ticket.split`, one classified child per demand (PS §15(三)).
/// 8. The same citizen's matter of the same category at the same place concluded with a conclusion
///    notice → `concluded_matter` (PS §15(六)).
/// 9. An open ticket of the same category at the same place (same street, community and normalised
///    address, or within the profile's radius), or of the same citizen → `ticket.merged` into the
///    earliest (PS §15(二)).
/// 10. Otherwise → `ticket.accepted`.
public struct IntakeDecision: Sendable {
    public let profile: RuleProfile
    public let areas: [StreetArea]
    public let catalogue: DutyCatalogue
    /// The hotlines demands this jurisdiction does not handle go to.
    public let transfers: [TransferDestination]
    /// Makes the citizen key a demand is matched by.
    public let citizenKeys: CitizenKeys

    public init(
        profile: RuleProfile, areas: [StreetArea], catalogue: DutyCatalogue, transfers: [TransferDestination] = [],
        citizenKeys: CitizenKeys
    ) {
        self.profile = profile
        self.areas = areas
        self.catalogue = catalogue
        self.transfers = transfers
        self.citizenKeys = citizenKeys
    }

    public init(_ context: IntakeContext) {
        self.init(
            profile: context.profile, areas: context.areas, catalogue: context.catalogue, transfers: context.transfers,
            citizenKeys: context.citizenKeys)
    }

    /// Decides a submission in a context.
    public static func decide(_ submission: Submission, _ context: IntakeContext) -> IntakeOutcome {
        IntakeDecision(context).decide(
            submission, openTickets: context.openTickets, concludedMatters: context.concludedMatters)
    }

    /// What to read from the database for a submission; nil when the outcome does not depend on it.
    public static func lookup(for submission: Submission, _ context: IntakeContext) -> IntakeLookup? {
        IntakeDecision(context).lookup(for: submission)
    }

    // MARK: - Decision

    /// The outcome, or the ticket still to check against the database.
    public enum Screening: Sendable, Hashable {
        case decided(IntakeOutcome)
        case pending(TicketPlan)
    }

    public func lookup(for submission: Submission) -> IntakeLookup? { lookup(screen(submission)) }

    /// `lookup(for:)` of a submission already screened.
    public func lookup(_ screening: Screening) -> IntakeLookup? {
        guard case .pending(let plan) = screening, let category = plan.category else { return nil }
        let merge = profile.intake.mergeRules
        var box: PlaceMatching.Box?
        if let lat = plan.location?.lat, let lon = plan.location?.lon {
            box = PlaceMatching.box(lat: lat, lon: lon, radius: merge.radiusMeters)
        }
        return IntakeLookup(
            category: category, citizenKey: plan.citizenKey, street: plan.street, community: plan.community,
            addressNorm: plan.addressNorm, box: box, sameCitizen: merge.sameCitizen,
            lockKeys: Self.lockKeys(category: category, plan: plan, merge: merge))
    }

    /// The keys of everything a demand could be merged by: its exact place, its citizen, and the
    /// grid cells around its coordinates (cells at least `radius` wide, so that two points within
    /// the radius lie in neighbouring cells and their 3×3 neighbourhoods overlap).
    static func lockKeys(category: String, plan: TicketPlan, merge: IntakeRules.MergeRules) -> [String] {
        var keys: Set<String> = []
        if let street = plan.street, let community = plan.community, let address = plan.addressNorm {
            keys.insert("place|\(category)|\(street)|\(community)|\(address)")
        }
        if merge.sameCitizen, let citizen = plan.citizenKey {
            keys.insert("citizen|\(category)|\(citizen)")
        }
        if let lat = plan.location?.lat, let lon = plan.location?.lon, merge.radiusMeters > 0 {
            // Longitude cells as wide as the radius up to 75° of latitude (cos 75° ≈ 0.259).
            let latCell = merge.radiusMeters / (PlaceMatching.earthRadius * Double.pi / 180)
            let lonCell = latCell / cos(75 * Double.pi / 180)
            let row = Int((lat / latCell).rounded(.down)), column = Int((lon / lonCell).rounded(.down))
            for dr in -1...1 {
                for dc in -1...1 { keys.insert("cell|\(category)|\(row + dr)|\(column + dc)") }
            }
        }
        if keys.isEmpty { keys.insert("category|\(category)") }
        return keys.sorted()
    }

    public func decide(
        _ submission: Submission, openTickets: [OpenTicket], concludedMatters: [ConcludedMatter]
    ) -> IntakeOutcome {
        decide(screen(submission), openTickets: openTickets, concludedMatters: concludedMatters)
    }

    /// `decide` of a submission already screened.
    public func decide(
        _ screening: Screening, openTickets: [OpenTicket], concludedMatters: [ConcludedMatter]
    ) -> IntakeOutcome {
        switch screening {
        case .decided(let outcome):
            return outcome
        case .pending(let plan):
            if let matter = concludedMatter(for: plan, in: concludedMatters) {
                var basis = basisText(.concludedMatter)
                if let ticket = matter.ticketNo { basis += "（\(ticket)）" }
                return .rejected(plan, IntakeRejection(
                    reason: .concludedMatter, basis: basis, decidedBy: .rules, note: matter.note,
                    concludedTicket: matter.ticketNo))
            }
            if let match = mergeTarget(for: plan, in: openTickets) {
                return .merged(plan, match)
            }
            return .accepted(plan)
        }
    }

    /// Every rule that needs no database facts.
    public func screen(_ submission: Submission) -> Screening {
        let rules = profile.intake
        let classifier = IntakeClassifier(rules: profile.classification, catalogue: catalogue)
        let location = canonical(submission.location)
        let text = [submission.title, submission.description].compactMap { $0 }.joined(separator: "\n")
        let citizenKey = citizenKeys.of(submission.citizen)
        let given = IntakeClassifier.Given(
            kind: submission.kind, urgency: submission.urgency, category: submission.category,
            answeredOnCall: submission.answeredOnCall != nil)
        let plan = TicketPlan(
            classification: classifier.classify(text: text, given: given), title: submission.title,
            description: submission.description, location: location, citizenKey: citizenKey)

        // 1-2: the operator's decisions.
        if let notAccepted = submission.notAccepted {
            return .decided(.rejected(plan, IntakeRejection(
                reason: notAccepted.reason, basis: basisText(notAccepted.reason, fallback: notAccepted.note),
                decidedBy: .operator, note: notAccepted.note)))
        }
        if let answer = submission.answeredOnCall {
            return .decided(.answered(plan, answer))
        }

        // 3: emergencies, anywhere in the submission.
        let demands = submission.isSplit ? (submission.demands ?? []) : []
        let allText = ([text] + demands.map(\.description)).joined(separator: "\n")
        if let hit = rules.emergencyRedirect(for: allText) {
            return .decided(.rejected(plan, IntakeRejection(
                reason: .emergencyRedirect, basis: basisText(.emergencyRedirect) + "（\(hit.number)：\(hit.word)）",
                decidedBy: .rules, emergencyNumber: hit.number, words: [hit.word])))
        }

        // 4: another level's matter, or a place that is not the jurisdiction's: transferred where the
        // jurisdiction file names where it goes.
        if let (destination, word) = transfers.destination(forText: allText) {
            return .decided(.rejected(plan, IntakeRejection(
                reason: .outOfJurisdiction, basis: basisText(.outOfJurisdiction) + "（\(word)：转\(destination.name)）",
                decidedBy: .rules, words: [word], transferTo: destination)))
        }
        for candidate in [submission.location] + demands.map(\.location) {
            if let street = outsideStreet(candidate) {
                let destination = transfers.destination(forStreet: street)
                let transferred = destination.map { "：转\($0.name)" } ?? ""
                return .decided(.rejected(plan, IntakeRejection(
                    reason: .outOfJurisdiction, basis: basisText(.outOfJurisdiction) + "（\(street)\(transferred)）",
                    decidedBy: .rules, street: street, transferTo: destination)))
            }
        }

        // 5: substance.
        if !rules.hasSubstance(submission.description) {
            return .decided(.rejected(plan, IntakeRejection(
                reason: .noSubstance, basis: basisText(.noSubstance), decidedBy: .rules)))
        }

        // 6: anonymous demands about the caller's own rights.
        if submission.citizen.anonymous, rules.anonymousOwnRightsRefused {
            let words = (rules.ownRightsWords ?? []).filter { allText.containsWord($0) }
            let kindAsserts = (rules.ownRightsKinds ?? []).contains(plan.kind)
            if !words.isEmpty || kindAsserts {
                return .decided(.rejected(plan, IntakeRejection(
                    reason: .unverifiableAnonymous, basis: basisText(.unverifiableAnonymous), decidedBy: .rules,
                    words: words, note: kindAsserts ? "kind \(plan.kind.rawValue) asserts the caller's own rights" : nil)))
            }
        }

        // 7: split.
        if submission.isSplit {
            let children = demands.map { demand -> TicketPlan in
                let childGiven = IntakeClassifier.Given(
                    kind: submission.kind, urgency: submission.urgency, category: demand.category, rule: .parent)
                var classification = classifier.classify(text: demand.description, given: childGiven)
                if demand.category != nil { classification.categoryReason.rule = .gateway }
                return TicketPlan(
                    classification: classification, title: submission.title, description: demand.description,
                    location: canonical(demand.location ?? submission.location), citizenKey: citizenKey)
            }
            return .decided(.split(parent: plan, children: children))
        }
        return .pending(plan)
    }

    // MARK: - Rules with database facts

    /// The first concluded matter of the same citizen and category whose place fields all agree.
    public func concludedMatter(for plan: TicketPlan, in matters: [ConcludedMatter]) -> ConcludedMatter? {
        guard let key = plan.citizenKey, let category = plan.category else { return nil }
        return matters
            .filter { matter in
                matter.citizenKey == key && matter.category == category
                    && Self.agrees(matter.street, plan.street) && Self.agrees(matter.community, plan.community)
                    && Self.agrees(matter.addressNorm, plan.addressNorm)
            }
            .min { ($0.concludedAt, $0.ticketNo ?? "") < ($1.concludedAt, $1.ticketNo ?? "") }
    }

    /// A place field of a concluded matter agrees when it is unset or equal.
    private static func agrees(_ required: String?, _ actual: String?) -> Bool {
        guard let required else { return true }
        return required == actual
    }

    /// The earliest open ticket of the same category at the same place, nearby, or of the same citizen.
    public func mergeTarget(for plan: TicketPlan, in tickets: [OpenTicket]) -> MergeMatch? {
        guard let category = plan.category else { return nil }
        let merge = profile.intake.mergeRules
        let ordered = tickets.filter { $0.category == category && TicketStatus.open.contains($0.status) }
            .sorted { ($0.receivedAt, $0.ticketNo) < ($1.receivedAt, $1.ticketNo) }
        for ticket in ordered {
            if let street = plan.street, let community = plan.community, let address = plan.addressNorm,
               ticket.street == street, ticket.community == community, ticket.addressNorm == address {
                return MergeMatch(target: ticket.ticketNo, basis: .samePlace)
            }
            if let lat = plan.location?.lat, let lon = plan.location?.lon, let otherLat = ticket.lat,
               let otherLon = ticket.lon {
                let distance = PlaceMatching.distance(lat1: lat, lon1: lon, lat2: otherLat, lon2: otherLon)
                if distance <= merge.radiusMeters {
                    return MergeMatch(target: ticket.ticketNo, basis: .nearby, distance: distance)
                }
            }
            if merge.sameCitizen, let key = plan.citizenKey, ticket.citizenKey == key {
                // The same demand: streets must not differ where both are known.
                if let street = plan.street, let other = ticket.street, street != other { continue }
                return MergeMatch(target: ticket.ticketNo, basis: .sameCitizen)
            }
        }
        return nil
    }

    // MARK: - Places

    /// The location with surrounding blanks removed and the street and community spelled as the
    /// jurisdiction spells them (`坑梓` → `坑梓街道`, `秀新` → `秀新社区`).
    public func canonical(_ location: Location?) -> Location? {
        guard var location else { return nil }
        location.street = Self.trimmed(location.street)
        location.community = Self.trimmed(location.community)
        location.address = Self.trimmed(location.address)
        if let street = location.street, let area = area(named: street) {
            location.street = area.street
            if let community = location.community,
               let known = area.communities.first(where: { $0 == community || $0 == community + "社区" }) {
                location.community = known
            }
        }
        return location
    }

    /// The street of a location when it is given and not one of the jurisdiction's.
    public func outsideStreet(_ location: Location?) -> String? {
        guard let street = Self.trimmed(location?.street), area(named: street) == nil else { return nil }
        return street
    }

    private func area(named street: String) -> StreetArea? {
        areas.first { $0.street == street } ?? areas.first { $0.street == street + "街道" }
    }

    private static func trimmed(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }

    // MARK: - Basis

    /// The profile's basis for a reason code, or the fallback, or a plain statement of the code.
    public func basisText(_ reason: NonAcceptanceReason, fallback: String? = nil) -> String {
        if let text = profile.intake.basis?[reason.rawValue], !text.isEmpty { return text }
        if let fallback, !fallback.isEmpty { return fallback }
        return "不予受理：\(reason.rawValue)"
    }
}
