/// The contract's exchanges.
public enum Exchange {
    public static let intake = "hotline.intake"
    public static let commands = "hotline.commands"
    public static let events = "hotline.events"
    public static let assignments = "hotline.assignments"
    public static let notifications = "hotline.notifications"
    /// Messages addressed to one queue by its name (routing key = the queue): outcomes to a client's
    /// reply queue and the copy of a manual dispatch for `hotline.dispatch.manual`.
    public static let direct = "hotline.direct"
    public static let deadLetters = "hotline.dlx"
}
