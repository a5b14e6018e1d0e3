import Foundation

/// The checks a resolution passes before it goes to the center's review (PS §16).
public enum ResolutionChecks {
    /// Which side of the work a photo shows.
    public enum PhotoStage: String, Sendable, Hashable, CaseIterable {
        case before
        case after
    }

    /// Checks `unit.submit-resolution`: a non-empty reply (`invalid`); before-and-after photos
    /// where the catalogue item says `needs_photos` (`invalid`); a lead only once every co-unit has
    /// reported its part (`wrong_state`); where the profile wants it, the unit's contact with the
    /// citizen recorded first (`not_allowed`, `contactMissing`); where the profile wants it for the
    /// ticket's kind, whether a case was filed (`invalid`, `caseFilingRequired`, PL §15(三)).
    public static func check(
        _ resolution: UnitSubmitResolution, needsPhotos: Bool, coUnitsNotReported: [String], contactMissing: Bool = false,
        caseFilingRequired: Bool = false
    ) -> CommandRefusal? {
        if isBlank(resolution.reply) {
            return CommandRefusal(.invalid, "a resolution needs a non-empty reply to the citizen")
        }
        if caseFilingRequired {
            guard let filing = resolution.caseFiling else {
                return CommandRefusal(
                    .invalid, "a complaint or report resolution says whether a case was filed (case_filing, PL §15(三))")
            }
            let missing = filing.missing
            if !missing.isEmpty {
                return CommandRefusal(
                    .invalid,
                    "case_filing: \(filing.filed ? "a filed case needs" : "a case not filed needs") \(missing.joined(separator: " and ")) (PL §15(三))")
            }
        }
        if contactMissing {
            return CommandRefusal(
                .notAllowed,
                "the unit must contact the citizen before it replies (DY (8)): record the contact with unit.notify-citizen first")
        }
        if needsPhotos {
            let missing = PhotoStage.allCases.filter { !photoStages(resolution.attachments).contains($0) }
            if !missing.isEmpty {
                return CommandRefusal(
                    .invalid,
                    "this catalogue item needs before-and-after photos; missing: \(missing.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if !coUnitsNotReported.isEmpty {
            return CommandRefusal(
                .wrongState,
                "the lead cannot resolve before every co-unit has reported its part (waiting for \(coUnitsNotReported.joined(separator: ", ")))")
        }
        return nil
    }

    /// The photo stages among `attachments`. An attachment is a photo when its type, name or address
    /// says so (`photo`, `image`, `照片`, `.jpg`, …); its stage comes from words like `before`/`after`,
    /// `处置前`/`处置后`, `整改前`/`整改后` in any of its text fields (e.g. `{"type": "photo", "stage":
    /// "before", "url": "…"}` or `{"kind": "photo_after", "url": "…"}`).
    public static func photoStages(_ attachments: [JSONValue]?) -> Set<PhotoStage> {
        var stages = Set<PhotoStage>()
        for attachment in attachments ?? [] {
            let texts = strings(in: attachment).map { $0.lowercased() }
            guard texts.contains(where: isPhotoText) else { continue }
            if texts.contains(where: { text in beforeWords.contains { text.contains($0) } }) { stages.insert(.before) }
            if texts.contains(where: { text in afterWords.contains { text.contains($0) } }) { stages.insert(.after) }
        }
        return stages
    }

    /// A stage resolution that passed its checks: who must approve it (PS §16(三)).
    public struct StageApproval: Sendable, Hashable {
        public var approver: StageResolutionRules.Approver
    }

    /// Checks `unit.submit-stage-resolution`: reason, progress and plan given; the follow-up deadline
    /// after `now`; the approval level derived from the follow-up period.
    public static func checkStage(
        _ stage: UnitSubmitStageResolution, rules: StageResolutionRules, now: Date, timeZone: TimeZone
    ) -> Result<StageApproval, CommandRefusal> {
        let blanks = [("reason", stage.reason), ("progress", stage.progress), ("plan", stage.plan)]
            .filter { isBlank($0.1) }.map(\.0)
        if !blanks.isEmpty {
            return .failure(CommandRefusal(.invalid, "a stage resolution needs \(blanks.joined(separator: ", "))"))
        }
        guard stage.followUpBy > now else {
            return .failure(CommandRefusal(.invalid, "follow_up_by must lie in the future"))
        }
        guard let approver = rules.approver(submittedAt: now, followUpBy: stage.followUpBy, timeZone: timeZone) else {
            return .failure(CommandRefusal(.invalid, "the rule profile names no approver for this follow-up period"))
        }
        return .success(StageApproval(approver: approver))
    }

    /// The co-units of a lead that have not reported their part yet.
    public static func coUnitsNotReported(coUnits: [String], reported: Set<String>) -> [String] {
        coUnits.filter { !reported.contains($0) }
    }

    private static let beforeWords = ["before", "处置前", "整改前", "处理前", "维修前", "清理前", "前照"]
    private static let afterWords = ["after", "处置后", "整改后", "处理后", "维修后", "清理后", "后照"]
    private static let photoWords = ["photo", "image", "picture", "img", "照片", "图片", "相片"]
    private static let photoExtensions = [".jpg", ".jpeg", ".png", ".heic", ".webp", ".gif", ".bmp"]

    private static func isPhotoText(_ text: String) -> Bool {
        photoWords.contains { text.contains($0) } || photoExtensions.contains { text.hasSuffix($0) || text.contains("\($0)?") }
    }

    private static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .object(let fields): return fields.flatMap { key, value in [key] + strings(in: value) }
        case .array(let items): return items.flatMap(strings)
        default: return []
        }
    }

    private static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
}
