extension DeadlineKind {
    /// The deadline's name on the console's pages: its name in the platform's texts
    /// (`NotificationText.deadlineName`) as a time limit, `签收时限`.
    public var title: String { NotificationText.deadlineName(self) + "时限" }
}
