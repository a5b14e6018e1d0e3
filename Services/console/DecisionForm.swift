import HotlineDomain

/// A work item's posted form as the contract's center command, with the person's name as
/// `operator_name` (docs/console.md "Deciding"). What the form lacks is told on the page; what the
/// command's owner refuses comes back as its `command.rejected`.
enum DecisionForm {
    static let maximumNote = 1000

    static func command(_ form: Form, queue: WorkQueue, item: WorkItems.Item, visitor: Visitor) throws -> any CommandBody {
        let note = form["note"]
        if let note, note.count > maximumNote { throw ConsoleFailure("意见最多\(maximumNote)字") }
        switch queue {
        case .dispatch:
            guard let mode = form["mode"].flatMap(DispatchMode.init(rawValue:)) else { throw ConsoleFailure("请选择派单方式") }
            var units: [String] = []
            for unit in form.values("units") where !units.contains(unit) { units.append(unit) }
            guard !units.isEmpty else { throw ConsoleFailure("请选择承办单位") }
            return CenterDispatch(ticketNo: item.ticketNo, mode: mode, units: units, note: note, operatorName: visitor.displayName)
        case .returns:
            let approve = try approval(form)
            guard let note else { throw ConsoleFailure("请填写审核意见") }
            return CenterDecideReturn(
                assignmentID: item.id, approve: approve, reassignTo: approve ? form["reassign_to"] : nil, note: note,
                operatorName: visitor.displayName)
        case .extensions:
            let approve = try approval(form)
            if !approve, note == nil { throw ConsoleFailure("不批准延期时请填写理由") }
            return CenterDecideExtension(requestID: item.id, approve: approve, note: note ?? "", operatorName: visitor.displayName)
        case .resolutions, .stageResolutions:
            let approve = try approval(form)
            if !approve, note == nil { throw ConsoleFailure("驳回办结时请填写理由") }
            return CenterDecideResolution(assignmentID: item.id, approve: approve, note: note ?? "", operatorName: visitor.displayName)
        }
    }

    /// The pressed button: `decision=approve` or `decision=deny`.
    private static func approval(_ form: Form) throws -> Bool {
        switch form["decision"] {
        case "approve": return true
        case "deny": return false
        default: throw ConsoleFailure("请选择批准或不批准")
        }
    }
}
