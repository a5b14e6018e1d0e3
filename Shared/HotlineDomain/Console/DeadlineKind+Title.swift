extension DeadlineKind {
    /// The deadline's name on the console's pages.
    public var title: String {
        switch self {
        case .dispatch: "派单时限"
        case .sign: "签收时限"
        case .notify: "受理告知时限"
        case .feedback: "进度反馈时限"
        case .resolve: "办结时限"
        case .followUp: "跟进办结时限"
        case .knowledgeCorrection: "知识库纠错时限"
        }
    }
}
