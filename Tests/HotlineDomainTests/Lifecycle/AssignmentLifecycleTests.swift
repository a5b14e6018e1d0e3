import Foundation
import XCTest

@testable import HotlineDomain

/// Every state × action of the assignment state machine: the allowed transitions lead where the
/// contract says, and every other combination is refused with `wrong_state`.
final class AssignmentLifecycleTests: XCTestCase {
    typealias Position = AssignmentLifecycle.Position
    typealias Action = AssignmentLifecycle.Action

    static let actions: [Action] = [
        .sign(auto: false), .sign(auto: true), .notifyCitizen, .requestReturn, .approveReturn, .denyReturn,
        .submitResolution, .submitStageResolution, .approveResolution, .rejectResolution, .reportPart, .reopen,
        .cancel, .close,
    ]

    private func position(_ state: AssignmentState, role: AssignmentRole = .sole, reviewing: ResolutionKind? = nil,
                          resume: AssignmentState? = nil) -> Position {
        Position(state: state, role: role, reviewing: reviewing, resumeState: resume)
    }

    /// The position a state is in when the machine put it there (reviews remember where they came from).
    private func natural(_ state: AssignmentState, role: AssignmentRole) -> Position {
        switch state {
        case .returnRequested: return position(state, role: role, resume: .signed)
        case .resolutionSubmitted: return position(state, role: role, reviewing: .final, resume: .signed)
        default: return position(state, role: role)
        }
    }

    /// The expected next state of every allowed (state, action) pair for a sole unit; nil = refused.
    private func expected(_ state: AssignmentState, _ action: Action) -> AssignmentState? {
        switch (state, action) {
        case (.pending, .sign): return .signed
        case (.pending, .requestReturn): return .returnRequested
        case (.pending, .cancel), (.signed, .cancel), (.returnRequested, .cancel), (.resolutionSubmitted, .cancel),
             (.stageResolved, .cancel):
            return .cancelled
        case (.pending, .close), (.signed, .close), (.returnRequested, .close), (.resolutionSubmitted, .close),
             (.stageResolved, .close):
            return .closed
        case (.signed, .notifyCitizen), (.returnRequested, .notifyCitizen), (.resolutionSubmitted, .notifyCitizen),
             (.stageResolved, .notifyCitizen):
            return state
        case (.signed, .requestReturn): return .returnRequested
        case (.signed, .submitResolution), (.signed, .submitStageResolution), (.stageResolved, .submitResolution):
            return .resolutionSubmitted
        case (.returnRequested, .approveReturn): return .returned
        case (.returnRequested, .denyReturn): return .signed
        case (.resolutionSubmitted, .approveResolution): return .resolved
        case (.resolutionSubmitted, .rejectResolution): return .signed
        case (.resolved, .reopen): return .signed
        default: return nil
        }
    }

    func testEveryStateAndActionOfASoleAssignment() {
        for state in AssignmentState.allCases {
            for action in Self.actions {
                let result = AssignmentLifecycle.apply(action, to: natural(state, role: .sole))
                switch (expected(state, action), result) {
                case (let next?, .success(let position)):
                    XCTAssertEqual(position.state, next, "\(state) + \(action)")
                    XCTAssertEqual(position.role, .sole)
                case (nil, .failure(let refusal)):
                    if action == .reportPart && !AssignmentLifecycle.endedStates.contains(state) {
                        // The role forbids it whatever the state: only co-units report parts.
                        XCTAssertEqual(refusal.reason, .notAllowed, "\(state) + \(action): \(refusal)")
                    } else {
                        XCTAssertEqual(refusal.reason, .wrongState, "\(state) + \(action): \(refusal)")
                        XCTAssertTrue(refusal.message.contains(state.rawValue), refusal.message)
                    }
                case (let next, let result):
                    XCTFail("\(state) + \(action): expected \(next.map(\.rawValue) ?? "refusal"), got \(result)")
                }
            }
        }
    }

    func testEveryStateAndActionOfACoUnit() {
        for state in AssignmentState.allCases {
            for action in Self.actions {
                let result = AssignmentLifecycle.apply(action, to: natural(state, role: .co))
                var next = expected(state, action)
                if action == .submitResolution || action == .submitStageResolution { next = nil }
                if action == .reportPart && state == .signed { next = .signed }
                switch (next, result) {
                case (let next?, .success(let position)):
                    XCTAssertEqual(position.state, next, "co: \(state) + \(action)")
                case (nil, .failure(let refusal)):
                    let forbiddenByRole = (action == .submitResolution || action == .submitStageResolution)
                        && !AssignmentLifecycle.endedStates.contains(state)
                    XCTAssertEqual(refusal.reason, forbiddenByRole ? .notAllowed : .wrongState, "co: \(state) + \(action)")
                case (let next, let result):
                    XCTFail("co: \(state) + \(action): expected \(next.map(\.rawValue) ?? "refusal"), got \(result)")
                }
            }
        }
    }

    func testSignIsOnlyFromPendingAndAutoSignLikewise() {
        XCTAssertEqual(try AssignmentLifecycle.apply(.sign(auto: true), to: position(.pending)).get().state, .signed)
        for state in AssignmentState.allCases where state != .pending {
            XCTAssertEqual(refusal(.sign(auto: true), position(state))?.reason, .wrongState, "\(state)")
        }
    }

    func testReturnRequestRemembersWhereItCameFromAndDenialGoesBack() throws {
        let fromPending = try AssignmentLifecycle.apply(.requestReturn, to: position(.pending)).get()
        XCTAssertEqual(fromPending, position(.returnRequested, resume: .pending))
        XCTAssertEqual(try AssignmentLifecycle.apply(.denyReturn, to: fromPending).get(), position(.pending))
        let fromSigned = try AssignmentLifecycle.apply(.requestReturn, to: position(.signed)).get()
        XCTAssertEqual(try AssignmentLifecycle.apply(.denyReturn, to: fromSigned).get(), position(.signed))
        XCTAssertEqual(try AssignmentLifecycle.apply(.approveReturn, to: fromSigned).get().state, .returned)
        XCTAssertTrue(try AssignmentLifecycle.apply(.approveReturn, to: fromSigned).get().hasEnded)
    }

    func testResolutionReviewKindsAndRejectionGoesBackUnchanged() throws {
        let final = try AssignmentLifecycle.apply(.submitResolution, to: position(.signed)).get()
        XCTAssertEqual(final, position(.resolutionSubmitted, reviewing: .final, resume: .signed))
        XCTAssertEqual(try AssignmentLifecycle.apply(.approveResolution, to: final).get(), position(.resolved))
        XCTAssertEqual(try AssignmentLifecycle.apply(.rejectResolution, to: final).get(), position(.signed))

        let stage = try AssignmentLifecycle.apply(.submitStageResolution, to: position(.signed)).get()
        XCTAssertEqual(stage, position(.resolutionSubmitted, reviewing: .stage, resume: .signed))
        let stageResolved = try AssignmentLifecycle.apply(.approveResolution, to: stage).get()
        XCTAssertEqual(stageResolved, position(.stageResolved))
        XCTAssertEqual(try AssignmentLifecycle.apply(.rejectResolution, to: stage).get(), position(.signed))

        // After a stage resolution, the final resolution follows; its rejection goes back to stage_resolved.
        let later = try AssignmentLifecycle.apply(.submitResolution, to: stageResolved).get()
        XCTAssertEqual(later, position(.resolutionSubmitted, reviewing: .final, resume: .stageResolved))
        XCTAssertEqual(try AssignmentLifecycle.apply(.rejectResolution, to: later).get(), position(.stageResolved))
        XCTAssertEqual(refusal(.submitStageResolution, stageResolved)?.reason, .wrongState)
    }

    func testReopenOnlyAfterResolution() throws {
        XCTAssertEqual(try AssignmentLifecycle.apply(.reopen, to: position(.resolved)).get(), position(.signed))
        for state in AssignmentState.allCases where state != .resolved {
            XCTAssertEqual(refusal(.reopen, position(state))?.reason, .wrongState, "\(state)")
        }
    }

    func testRolesLimitResolutionsAndParts() {
        for action in [Action.submitResolution, .submitStageResolution] {
            XCTAssertEqual(refusal(action, position(.signed, role: .co))?.reason, .notAllowed, "\(action)")
        }
        for role in AssignmentRole.allCases where role != .co {
            XCTAssertEqual(refusal(.reportPart, position(.signed, role: role))?.reason, .notAllowed, "\(role)")
            XCTAssertNil(refusal(.submitResolution, position(.signed, role: role)), "\(role)")
        }
        XCTAssertEqual(try AssignmentLifecycle.apply(.reportPart, to: position(.signed, role: .co)).get().state, .signed)
        XCTAssertEqual(refusal(.reportPart, position(.pending, role: .co))?.reason, .wrongState)
    }

    func testEndedStatesRefuseEverythingButReopenOfResolved() {
        for state in AssignmentLifecycle.endedStates {
            for action in Self.actions where !(state == .resolved && action == .reopen) {
                XCTAssertEqual(refusal(action, position(state))?.reason, .wrongState, "\(state) + \(action)")
            }
        }
    }

    private func refusal(_ action: Action, _ position: Position) -> CommandRefusal? {
        if case .failure(let refusal) = AssignmentLifecycle.apply(action, to: position) { return refusal }
        return nil
    }
}

final class CommandAuthorizationTests: XCTestCase {
    func testSenderKinds() {
        XCTAssertEqual(try CommandAuthorization.sender(of: .unitSign, userID: "unit.CG").get(), .unit("CG"))
        XCTAssertEqual(try CommandAuthorization.sender(of: .centerDispatch, userID: "center").get(), .center)
        for (type, user) in [
            (CommandType.unitSign, "center"), (.unitSign, "gateway"), (.unitSign, "svc.dispatcher"), (.centerDecideReturn, "unit.CG"),
            (.centerDispatch, "guest"), (.centerDispatch, "survey"), (.surveyResponse, "center"),
        ] {
            guard case .failure(let refusal) = CommandAuthorization.sender(of: type, userID: user) else {
                XCTFail("\(type) from \(user) must be refused")
                continue
            }
            XCTAssertEqual(refusal.reason, .forbidden)
        }
        for user in [nil, ""] as [String?] {
            guard case .failure(let refusal) = CommandAuthorization.sender(of: .unitSign, userID: user) else {
                return XCTFail("a command without user_id must be refused")
            }
            XCTAssertEqual(refusal.reason, .forbidden)
        }
    }

    func testUnitsActOnlyOnTheirOwnAssignments() {
        XCTAssertNil(CommandAuthorization.check(.unit("CG"), actsOnAssignmentOf: "CG", type: .unitSign))
        XCTAssertEqual(CommandAuthorization.check(.unit("ZJ"), actsOnAssignmentOf: "CG", type: .unitSign)?.reason, .forbidden)
        XCTAssertNil(CommandAuthorization.check(.center, actsOnAssignmentOf: "CG", type: .centerDecideReturn))
        XCTAssertEqual(CommandAuthorization.check(.center, actsOnAssignmentOf: "CG", type: .unitSign)?.reason, .forbidden)
        XCTAssertEqual(CommandAuthorization.check(.unit("CG"), actsOnAssignmentOf: "CG", type: .centerDecideReturn)?.reason, .forbidden)
    }

    func testWhichCommandsTheDispatcherAnswers() {
        XCTAssertEqual(DispatcherCommandRouting(type: "unit.sign"), .handle(.unitSign))
        XCTAssertEqual(DispatcherCommandRouting(type: "center.dispatch"), .handle(.centerDispatch))
        XCTAssertEqual(DispatcherCommandRouting(type: "unit.request-extension"), .otherService(.unitRequestExtension))
        XCTAssertEqual(DispatcherCommandRouting(type: "center.decide-extension"), .otherService(.centerDecideExtension))
        XCTAssertEqual(DispatcherCommandRouting(type: "survey.response"), .otherService(.surveyResponse))
        XCTAssertEqual(DispatcherCommandRouting(type: "center.exclude-dissatisfaction"), .otherService(.centerExcludeDissatisfaction))
        XCTAssertEqual(DispatcherCommandRouting(type: "unit.frobnicate"), .unknown("unit.frobnicate"))
        XCTAssertEqual(DispatcherCommandRouting(type: "center.foo"), .unknown("center.foo"))
        XCTAssertEqual(
            Set(CommandType.allCases.filter { if case .handle = DispatcherCommandRouting(type: $0.rawValue) { true } else { false } }),
            DispatcherCommandRouting.owned)
    }
}
