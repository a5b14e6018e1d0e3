import Foundation
import HotlineDomain
import XCTest

final class IntakeDecisionTests: XCTestCase {
    typealias F = IntakeFixtures

    private func decide(
        _ submission: Submission, profile: RuleProfile = F.profile(), open: [OpenTicket] = [],
        concluded: [ConcludedMatter] = []
    ) -> IntakeOutcome {
        IntakeDecision.decide(submission, F.context(profile: profile, open: open, concluded: concluded))
    }

    private func rejection(_ outcome: IntakeOutcome, file: StaticString = #filePath, line: UInt = #line) -> IntakeRejection? {
        guard case .rejected(_, let rejection) = outcome else {
            XCTFail("expected a rejection, got \(outcome.eventType.rawValue)", file: file, line: line)
            return nil
        }
        return rejection
    }

    private func assertAccepted(_ outcome: IntakeOutcome, file: StaticString = #filePath, line: UInt = #line) {
        guard case .accepted = outcome else {
            return XCTFail("expected ticket.accepted, got \(outcome)", file: file, line: line)
        }
    }

    private func mergeMatch(_ outcome: IntakeOutcome, file: StaticString = #filePath, line: UInt = #line) -> MergeMatch? {
        guard case .merged(_, let match) = outcome else {
            XCTFail("expected ticket.merged, got \(outcome.eventType.rawValue)", file: file, line: line)
            return nil
        }
        return match
    }

    // MARK: - Accepted

    func testAnOrdinaryDemandIsAcceptedAndClassified() {
        let outcome = decide(F.submission())
        assertAccepted(outcome)
        XCTAssertEqual(outcome.status, .accepted)
        XCTAssertEqual(outcome.plan.category, "CG-001")
        XCTAssertEqual(outcome.plan.kind, .complaint)
        XCTAssertEqual(outcome.plan.addressNorm, "秀新路12号")
        XCTAssertEqual(outcome.plan.citizenKey, F.citizenKeys.of(phone: F.phone))
    }

    // MARK: - Operator decisions

    func testTheOperatorsNonAcceptanceWins() throws {
        let outcome = decide(F.submission("小区门口有人着火了", notAccepted: NotAccepted(reason: .petition, note: "已进入信访程序")))
        let rejection = try XCTUnwrap(self.rejection(outcome))
        XCTAssertEqual(rejection.reason, .petition)
        XCTAssertEqual(rejection.basis, "PS §8(二)4 已进入信访渠道的")
        XCTAssertEqual(rejection.decidedBy, .operator)
        XCTAssertEqual(rejection.note, "已进入信访程序")
        XCTAssertEqual(outcome.status, .rejected)
        // A reason without a basis in the profile falls back to the note, then to the code.
        let withoutBasis = F.profile { $0.intake.basis?["unlawful"] = nil }
        let other = try XCTUnwrap(self.rejection(decide(
            F.submission(notAccepted: NotAccepted(reason: .unlawful, note: "辱骂")), profile: withoutBasis)))
        XCTAssertEqual(other.basis, "辱骂")
        let bare = try XCTUnwrap(self.rejection(decide(F.submission(notAccepted: NotAccepted(reason: .unlawful)), profile: withoutBasis)))
        XCTAssertEqual(bare.basis, "不予受理：unlawful")
    }

    func testAnsweredOnCallClosesAsAConsultation() {
        let answer = AnsweredOnCall(answer: "垃圾分类投放时间为每天7-9点、19-21点", knowledgeID: "KB-12")
        let outcome = decide(F.submission("请问垃圾分类投放时间是几点到几点", answeredOnCall: answer))
        guard case .answered(let plan, let given) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(given, answer)
        XCTAssertEqual(plan.kind, .consultation)
        XCTAssertEqual(outcome.eventType, .ticketAnswered)
        XCTAssertEqual(outcome.status, .answered)
    }

    // MARK: - Emergencies

    func testEmergencyWordingRedirectsToTheRightNumber() throws {
        let cases = [("楼下餐馆着火了，烟很大", "119", "着火"), ("路口发生交通事故", "122", "交通事故"),
                     ("有人持刀抢劫", "110", "抢劫"), ("工地有工人受伤流血", "120", "受伤")]
        for (text, number, word) in cases {
            let rejection = try XCTUnwrap(self.rejection(decide(F.submission(text))), text)
            XCTAssertEqual(rejection.reason, .emergencyRedirect, text)
            XCTAssertEqual(rejection.emergencyNumber, number, text)
            XCTAssertEqual(rejection.words, [word], text)
            XCTAssertTrue(rejection.basis.contains("ZS §13(一) 应由110、119、120、122等紧急服务专线处理"), rejection.basis)
            XCTAssertTrue(rejection.basis.contains(number), rejection.basis)
        }
        // In the title, or in one of several demands, too.
        XCTAssertEqual(rejection(decide(F.submission(title: "爆炸", location: nil)))?.emergencyNumber, "119")
        let demands = [Demand(description: "小区门口占道经营"), Demand(description: "隔壁车祸了")]
        XCTAssertEqual(rejection(decide(F.submission(demands: demands)))?.emergencyNumber, "122")
    }

    func testAHazardIsUrgentButNoEmergency() {
        let outcome = decide(F.submission("楼道里燃气泄漏，味道很大", location: F.place(address: "秀新路99号")))
        assertAccepted(outcome)
        XCTAssertEqual(outcome.plan.urgency, .urgent)
    }

    // MARK: - Jurisdiction

    func testAStreetOutsideTheJurisdictionIsNotAccepted() throws {
        let rejection = try XCTUnwrap(self.rejection(decide(F.submission(location: F.place(street: "福田街道", community: "福山社区")))))
        XCTAssertEqual(rejection.reason, .outOfJurisdiction)
        XCTAssertEqual(rejection.street, "福田街道")
        XCTAssertEqual(rejection.basis, "PS §8(二)1 不属于坪山区行政管辖范围内的（福田街道）")
        // A demand's own street counts too.
        let demands = [Demand(description: "小区门口占道经营"), Demand(description: "餐馆油烟扰民", location: F.place(street: "南山街道"))]
        XCTAssertEqual(self.rejection(decide(F.submission(demands: demands)))?.street, "南山街道")
    }

    /// ZS §24, DY (6): a demand this jurisdiction does not handle is refused naming where the file
    /// says it goes (`transferred_to`); without a destination it is refused as before.
    func testADemandElsewhereIsTransferredWhereTheFileNamesADestination() throws {
        var context = F.context()
        context.transfers = [
            TransferDestination(code: "FT", name: "福田区民生诉求服务中心", phone: "0755-83000000", streets: ["福田街道"]),
            TransferDestination(code: "CITY", name: "市12345热线", phone: "12345", words: ["银行监管", "快递服务"], otherStreets: true),
        ]
        func transfer(_ submission: Submission) throws -> IntakeRejection {
            let outcome = IntakeDecision.decide(submission, context)
            let rejection = try XCTUnwrap(self.rejection(outcome))
            XCTAssertEqual(outcome.eventType, .ticketRejected, "the contract's outcome either way")
            return rejection
        }
        let futian = try transfer(F.submission(location: F.place(street: "福田街道", community: "福山社区")))
        XCTAssertEqual(futian.transferTo?.code, "FT", "the street's own destination")
        XCTAssertEqual(futian.reason, .outOfJurisdiction)
        XCTAssertEqual(futian.basis, "PS §8(二)1 不属于坪山区行政管辖范围内的（福田街道：转福田区民生诉求服务中心）")
        XCTAssertEqual(try transfer(F.submission(location: F.place(street: "南山街道"))).transferTo?.code, "CITY", "any other street")
        let bank = try transfer(F.submission("投诉某银行乱收费，要求银行监管部门查处"))
        XCTAssertEqual(bank.transferTo?.code, "CITY", "another level's matter, inside the district")
        XCTAssertEqual(bank.words, ["银行监管"])
        assertAccepted(IntakeDecision.decide(F.submission(), context))
        XCTAssertNil(try transfer(F.submission("着火了", location: F.place(street: "福田街道"))).transferTo, "emergencies first")
        // The file's checks.
        var file = F.jurisdiction()
        file.transfers = context.transfers + [
            TransferDestination(code: "FT", name: "", streets: ["坑梓街道"]), TransferDestination(code: "X", name: "x", otherStreets: true),
            TransferDestination(code: "Y", name: "y"),
        ]
        XCTAssertEqual(
            Set(file.validate().filter { $0.kind == .invalidTransfer || $0.path.hasPrefix("transfers") }.map(\.path)),
            ["transfers[2].name", "transfers[2].code", "transfers[2].streets", "transfers", "transfers[4]"])
    }

    func testTheJurisdictionsStreetsInAnySpellingAreInside() {
        let short = decide(F.submission(location: F.place(street: " 坑梓 ", community: "秀新")))
        assertAccepted(short)
        XCTAssertEqual(short.plan.street, "坑梓街道")
        XCTAssertEqual(short.plan.community, "秀新社区")
        assertAccepted(decide(F.submission(location: F.place(street: "   ", community: nil))))
        assertAccepted(decide(F.submission(location: nil)))
        assertAccepted(decide(F.submission(location: F.place(street: nil, community: nil, address: "某处"))))
    }

    // MARK: - Substance

    func testDescriptionsWithoutSubstance() throws {
        for text in ["测试", "喂。", "  无 ", "啊啊啊啊啊", "1111", "。。。。。", "好"] {
            let rejection = try XCTUnwrap(self.rejection(decide(F.submission(text))), text)
            XCTAssertEqual(rejection.reason, .noSubstance, text)
            XCTAssertEqual(rejection.basis, "PS §8(二)7 无实质诉求内容，或诉求不属实、无法办理、答复的")
        }
        assertAccepted(decide(F.submission("路灯不亮", location: F.place(address: "秀新路1号"))))
    }

    // MARK: - Anonymous

    func testAnonymousDemandsForTheirOwnRightsAreNotAccepted() throws {
        let own = F.submission("老板拖欠工资三个月了", phone: nil, anonymous: true)
        let rejection = try XCTUnwrap(self.rejection(decide(own)))
        XCTAssertEqual(rejection.reason, .unverifiableAnonymous)
        XCTAssertEqual(rejection.words, ["拖欠工资"])
        XCTAssertEqual(rejection.basis, "PS §8(一)1 登记个人真实信息；PL §7(十) 维护自身权益的诉求件未提供实名和联系方式，无法核实")
        // Near misses: a public matter; a named citizen; a profile that accepts them.
        assertAccepted(decide(F.submission("小区门口有流动摊贩占道经营", phone: nil, anonymous: true)))
        assertAccepted(decide(F.submission("老板拖欠工资三个月了")))
        assertAccepted(decide(own, profile: F.profile { $0.intake.anonymousOwnRightsRefused = false }))
    }

    func testAKindCanAssertOwnRights() {
        let help = F.submission("求助：家门口的树倒了挡住出路", phone: nil, anonymous: true)
        assertAccepted(decide(help))
        let pingli = F.profile { $0.intake.ownRightsKinds = [.help] }
        XCTAssertEqual(rejection(decide(help, profile: pingli))?.reason, .unverifiableAnonymous)
        XCTAssertEqual(rejection(decide(help, profile: pingli))?.words, [])
    }

    // MARK: - Split

    func testTwoDemandsSplitIntoClassifiedChildren() throws {
        let demands = [
            Demand(description: "小区门口流动摊贩占道经营"),
            Demand(description: "楼下餐馆油烟很大", location: F.place(street: "坪山街道", community: "六和社区", address: "六和路3号")),
            Demand(category: "ZJ-003", description: "楼顶有人搭建铁皮房"),
        ]
        let outcome = decide(F.submission("有三件事要反映一下", kind: .complaint, demands: demands))
        guard case .split(let parent, let children) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(outcome.status, .split)
        XCTAssertEqual(parent.description, "有三件事要反映一下")
        XCTAssertEqual(children.map(\.category), ["CG-001", "HB-002", "ZJ-003"])
        XCTAssertEqual(children[0].classification.categoryReason.rule, .catalogueKeywords)
        XCTAssertEqual(children[2].classification.categoryReason.rule, .gateway)
        XCTAssertEqual(children.map(\.kind), [.complaint, .complaint, .complaint])
        XCTAssertEqual(children[0].classification.kindReason.rule, .parent)
        XCTAssertEqual(children[0].street, "坑梓街道", "a demand without a place takes the submission's")
        XCTAssertEqual(children[1].street, "坪山街道")
        XCTAssertEqual(children[1].addressNorm, "六和路3号")
        XCTAssertEqual(Set(children.map(\.citizenKey)), [F.citizenKeys.of(phone: F.phone)])
        // No lookups: children are accepted as they are.
        XCTAssertNil(IntakeDecision.lookup(for: F.submission(demands: demands), F.context()))
    }

    func testAnEmptyDemandListIsNoSplit() {
        assertAccepted(decide(F.submission(demands: [])))
    }

    // MARK: - Concluded matters

    private func concluded(
        citizen: String = F.phone, category: String = "CG-001", street: String? = "坑梓街道",
        community: String? = "秀新社区", address: String? = "秀新路12号"
    ) -> ConcludedMatter {
        ConcludedMatter(
            ticketNo: "PS-20260101-000007", citizenKey: F.citizenKeys.of(phone: citizen)!, category: category,
            street: street, community: community, addressNorm: PlaceMatching.normalizeAddress(address),
            concludedAt: F.earlier, note: "已出具事件终结告知书")
    }

    func testTheSameConcludedMatterIsNotAcceptedAgain() throws {
        let rejection = try XCTUnwrap(self.rejection(decide(F.submission(), concluded: [concluded()])))
        XCTAssertEqual(rejection.reason, .concludedMatter)
        XCTAssertEqual(rejection.concludedTicket, "PS-20260101-000007")
        XCTAssertEqual(rejection.basis, "PS §15(六) 已出具事件终结告知书的诉求不再受理（PS-20260101-000007）")
        // Written another way, the address is the same.
        let respelled = F.submission(phone: "+86 138 0013 8000", location: F.place(address: "秀新路１２号。"))
        XCTAssertEqual(self.rejection(decide(respelled, concluded: [concluded()]))?.reason, .concludedMatter)
        // A concluded matter recorded without an address covers the whole community.
        XCTAssertEqual(
            self.rejection(decide(F.submission(location: F.place(address: "秀新路99号")), concluded: [concluded(address: nil)]))?.reason,
            .concludedMatter)
    }

    func testConcludedMatterNearMisses() {
        assertAccepted(decide(F.submission(), concluded: [concluded(category: "HB-002")]))
        assertAccepted(decide(F.submission(), concluded: [concluded(citizen: "13900000001")]))
        assertAccepted(decide(F.submission(), concluded: [concluded(address: "秀新路13号")]))
        assertAccepted(decide(F.submission(), concluded: [concluded(community: "坑梓社区")]))
        assertAccepted(decide(F.submission(phone: nil, anonymous: true), concluded: [concluded()]))
    }

    // MARK: - Merge

    func testTheSameCategoryAtTheSamePlaceIsMerged() throws {
        let match = try XCTUnwrap(mergeMatch(decide(F.submission(), open: [F.open()])))
        XCTAssertEqual(match, MergeMatch(target: "PS-20261120-000001", basis: .samePlace))
        // The address written another way is the same place.
        let respelled = F.submission(location: F.place(address: " 秀新路１２号！"))
        XCTAssertEqual(mergeMatch(decide(respelled, open: [F.open()]))?.basis, .samePlace)
        XCTAssertEqual(decide(F.submission(), open: [F.open()]).status, .merged)
    }

    func testMergeNearMisses() {
        // Another category.
        assertAccepted(decide(F.submission(), open: [F.open(category: "HB-002")]))
        // Another house number, another community, no address.
        assertAccepted(decide(F.submission(), open: [F.open(address: "秀新路14号")]))
        assertAccepted(decide(F.submission(), open: [F.open(community: "坑梓社区")]))
        assertAccepted(decide(F.submission(location: F.place(address: nil)), open: [F.open(address: nil)]))
        // The earlier ticket is already resolved, closed, merged or split.
        for status in [TicketStatus.resolved, .closed, .merged, .split, .rejected, .answered] {
            assertAccepted(decide(F.submission(), open: [F.open(status: status)]))
        }
        // A demand without a category is never merged.
        assertAccepted(decide(F.submission("邻居家的狗每天晚上叫个不停"), open: [F.open(category: nil)]))
    }

    func testCoordinatesWithinTheRadiusAreTheSamePlace() throws {
        let lat = 22.74, lon = 114.39
        let near = F.open(address: "别处", lat: F.north(of: lat, 99), lon: lon)
        let submission = F.submission(location: F.place(address: "秀新路12号", lat: lat, lon: lon))
        let match = try XCTUnwrap(mergeMatch(decide(submission, open: [near])))
        XCTAssertEqual(match.basis, .nearby)
        XCTAssertEqual(try XCTUnwrap(match.distance), 99, accuracy: 0.01)
        // 101 m apart is not.
        assertAccepted(decide(submission, open: [F.open(address: "别处", lat: F.north(of: lat, 101), lon: lon)]))
        // Only one side with coordinates is not.
        assertAccepted(decide(submission, open: [F.open(address: "别处")]))
        // The radius is the profile's.
        let wide = F.profile { $0.intake.merge = IntakeRules.MergeRules(radiusMeters: 150) }
        XCTAssertEqual(
            mergeMatch(decide(submission, profile: wide, open: [F.open(address: "别处", lat: F.north(of: lat, 101), lon: lon)]))?.basis,
            .nearby)
    }

    func testTheSameCitizenRepeatingAnOpenDemandIsMerged() throws {
        let mine = F.open(address: "秀新路40号", citizen: F.phone)
        XCTAssertEqual(mergeMatch(decide(F.submission(), open: [mine]))?.basis, .sameCitizen)
        // Written another way, the number is the same citizen.
        XCTAssertEqual(mergeMatch(decide(F.submission(phone: "0086-13800138000"), open: [mine]))?.basis, .sameCitizen)
        // Near misses: another category, another street, another citizen, a profile without the rule.
        assertAccepted(decide(F.submission(), open: [F.open(category: "HB-002", address: "秀新路40号", citizen: F.phone)]))
        assertAccepted(decide(F.submission(), open: [F.open(street: "坪山街道", community: "六和社区", address: "秀新路40号", citizen: F.phone)]))
        assertAccepted(decide(F.submission(), open: [F.open(address: "秀新路40号", citizen: "13900000002")]))
        let off = F.profile { $0.intake.merge = IntakeRules.MergeRules(radiusMeters: 100, sameCitizen: false) }
        assertAccepted(decide(F.submission(), profile: off, open: [mine]))
    }

    func testTheEarliestOpenTicketTakesTheMerge() {
        let later = F.open("PS-20261122-000005", receivedAt: F.now.addingTimeInterval(-3600))
        let first = F.open("PS-20261101-000002", receivedAt: F.earlier.addingTimeInterval(-86_400 * 10))
        let closed = F.open("PS-20261001-000001", status: .resolved, receivedAt: F.earlier.addingTimeInterval(-86_400 * 40))
        XCTAssertEqual(mergeMatch(decide(F.submission(), open: [later, closed, first]))?.target, "PS-20261101-000002")
    }

    func testConcludedComesBeforeMerge() {
        let outcome = decide(F.submission(), open: [F.open()], concluded: [concluded()])
        XCTAssertEqual(outcome.eventType, .ticketRejected)
    }

    // MARK: - Lookups

    func testLookupNamesWhatTheServiceMustRead() throws {
        let submission = F.submission(location: F.place(address: "秀新路１２号", lat: 22.74, lon: 114.39))
        let lookup = try XCTUnwrap(IntakeDecision.lookup(for: submission, F.context()))
        XCTAssertEqual(lookup.category, "CG-001")
        XCTAssertEqual(lookup.citizenKey, F.citizenKeys.of(phone: F.phone))
        XCTAssertEqual(lookup.street, "坑梓街道")
        XCTAssertEqual(lookup.community, "秀新社区")
        XCTAssertEqual(lookup.addressNorm, "秀新路12号")
        XCTAssertTrue(lookup.sameCitizen)
        let box = try XCTUnwrap(lookup.box)
        XCTAssertTrue(box.contains(lat: F.north(of: 22.74, 99), lon: 114.39))
        // Nothing to read when the outcome is already decided, or without a category.
        XCTAssertNil(IntakeDecision.lookup(for: F.submission("测试"), F.context()))
        XCTAssertNil(IntakeDecision.lookup(for: F.submission(notAccepted: NotAccepted(reason: .other)), F.context()))
        XCTAssertNil(IntakeDecision.lookup(for: F.submission("邻居家的狗每天晚上叫个不停"), F.context()))
        XCTAssertNil(IntakeDecision.lookup(for: F.submission(location: F.place(street: "福田街道")), F.context()))
    }

    func testSubmissionsThatCouldMergeShareALockKey() throws {
        func keys(_ submission: Submission) throws -> Set<String> {
            Set(try XCTUnwrap(IntakeDecision.lookup(for: submission, F.context())).lockKeys)
        }
        let base = try keys(F.submission())
        XCTAssertFalse(base.isDisjoint(with: try keys(F.submission(phone: "13900000005", location: F.place(address: "秀新路１２号")))))
        XCTAssertFalse(base.isDisjoint(with: try keys(F.submission(location: F.place(address: "别处")))), "the same citizen")
        XCTAssertTrue(base.isDisjoint(with: try keys(F.submission(phone: "13900000005", location: F.place(address: "别处")))))
        XCTAssertTrue(
            base.isDisjoint(with: try keys(F.submission("楼下餐馆油烟很大", phone: "13900000005"))), "another category")
        // Coordinates within the radius, in every direction and around cell edges, share a cell.
        let lat = 22.7400005, lon = 114.3900005
        let metre = 1 / (PlaceMatching.earthRadius * Double.pi / 180)
        let here = try keys(F.submission(phone: "13900000006", location: F.place(address: "甲", lat: lat, lon: lon)))
        for bearing in stride(from: 0.0, to: 360.0, by: 22.5) {
            let radians = bearing * Double.pi / 180
            let there = F.place(
                address: "乙", lat: lat + 99.9 * metre * cos(radians),
                lon: lon + 99.9 * metre * sin(radians) / cos(lat * Double.pi / 180))
            XCTAssertFalse(here.isDisjoint(with: try keys(F.submission(phone: "13900000007", location: there))), "\(bearing)°")
        }
        let far = F.place(address: "乙", lat: lat + 5_000 * metre, lon: lon)
        XCTAssertTrue(here.isDisjoint(with: try keys(F.submission(phone: "13900000007", location: far))))
        // Nothing to tell demands apart by: the whole category.
        XCTAssertEqual(try keys(F.submission(phone: nil, anonymous: true, location: nil)), ["category|CG-001"])
    }

    func testRulesApplyInOrder() {
        // Emergency before out-of-jurisdiction before no-substance before anonymous.
        XCTAssertEqual(rejection(decide(F.submission("着火了", location: F.place(street: "福田街道"))))?.reason, .emergencyRedirect)
        XCTAssertEqual(rejection(decide(F.submission("测试", location: F.place(street: "福田街道"))))?.reason, .outOfJurisdiction)
        XCTAssertEqual(rejection(decide(F.submission("欠薪", phone: nil, anonymous: true)))?.reason, .noSubstance)
        // The operator's answer before everything the rules would say.
        XCTAssertEqual(decide(F.submission("测试", answeredOnCall: AnsweredOnCall(answer: "已答复"))).eventType, .ticketAnswered)
    }
}
