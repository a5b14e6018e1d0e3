/// The contract's exchanges.
public enum Exchange {
    public static let intake = "hotline.intake"
    public static let commands = "hotline.commands"
    public static let events = "hotline.events"
    public static let assignments = "hotline.assignments"
    public static let notifications = "hotline.notifications"
    public static let deadLetters = "hotline.dlx"
}
