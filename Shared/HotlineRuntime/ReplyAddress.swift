import Foundation
import HotlineDomain
import HotlineMessaging

/// Where a message's outcome goes besides `hotline.events` (docs/contract.md "Exactly one outcome"):
/// the sender's own reply queue `hotline.reply.<user_id>`, whatever `reply_to` names, so that no
/// client can have the platform write into another client's queue.
public struct ReplyAddress: Sendable, Equatable {
    public var queue: String
    /// Why the message's `reply_to` was not used, when it named another queue; said in the outcome
    /// as `reply_to_ignored`.
    public var ignored: String?

    public init(queue: String, ignored: String? = nil) {
        self.queue = queue
        self.ignored = ignored
    }

    /// The outcome as published: with `reply_to_ignored` when the message's `reply_to` was not used.
    public func annotate(_ outcome: OutboxMessage) -> OutboxMessage {
        guard let ignored, let note = try? JSONEncoder().encode(ignored),
              let end = outcome.body.lastIndex(of: UInt8(ascii: "}")),
              outcome.body.first == UInt8(ascii: "{"), end > outcome.body.startIndex + 1
        else { return outcome }
        var annotated = outcome
        annotated.body = outcome.body[..<end] + Data(#","reply_to_ignored":"#.utf8) + note + Data("}".utf8)
        return annotated
    }

    /// The outcome, annotated, for `hotline.events` and then for this queue.
    public func outcome(_ outcome: OutboxMessage) -> [OutboxMessage] {
        let annotated = annotate(outcome)
        return [annotated, annotated.reply(to: queue)]
    }
}

extension Delivery {
    /// Where to send the answer besides `hotline.events`: nil without `reply_to` or without
    /// `user_id` (the broker checks `user_id` against the connection's user; a message without it
    /// is refused, and its refusal goes only to `hotline.events`).
    public var replyAddress: ReplyAddress? {
        guard let replyTo = properties.replyTo, !replyTo.isEmpty,
              let user = properties.userID, !user.isEmpty else { return nil }
        let own = HotlineTopology.replyQueue(user)
        guard replyTo != own else { return ReplyAddress(queue: own) }
        return ReplyAddress(
            queue: own, ignored: "reply_to \(replyTo.prefix(255)) is not the sender's reply queue; the outcome went to \(own)")
    }
}
