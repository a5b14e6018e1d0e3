extension KnowledgeKind {
    /// The kind's name (PS §22(一)).
    public var title: String {
        switch self {
        case .policy: "政策法规"
        case .guide: "办事指南"
        case .qa: "问答资料"
        case .notice: "通知公告"
        }
    }
}
