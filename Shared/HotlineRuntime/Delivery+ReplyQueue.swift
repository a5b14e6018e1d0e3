import HotlineMessaging

extension Delivery {
    /// Where to send the answer besides `hotline.events`: the `reply_to` queue, unless it is empty
    /// or names one of the platform's own queues other than a reply queue (a unit's, the
    /// manual-dispatch queue, a service's), which a client must not be able to write into through a
    /// service.
    public var replyQueue: String? {
        guard let replyTo = properties.replyTo, !replyTo.isEmpty else { return nil }
        if replyTo.hasPrefix("hotline.") && !replyTo.hasPrefix("hotline.reply.") { return nil }
        return replyTo
    }
}
