import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime

/// The RabbitMQ definitions document: users with least privilege (their passwords as salted hashes
/// only), and the topology.
///
/// - Units (`unit.<code>`) read only their own assignment and reply queues and publish only
///   `unit.*` keys on `hotline.commands`; the center (`center`) publishes `center.*` and reads the
///   manual-dispatch queue; the survey channel publishes `survey.*`; gateways publish only
///   submissions to `hotline.intake` and knowledge-base searches to `hotline.commands`; an Open311
///   client's user (`open311.<name>`, through the open311 service) only submissions. No client may
///   configure anything.
/// - Services (`svc.<name>`) declare, bind and read only their own queues, publish only their own
///   event types on `hotline.events` and otherwise only to the exchanges their `ServiceAccount`
///   names (outcomes to reply queues through `hotline.direct`, never the default exchange).
/// - Every queue has a length limit (`policies`), so that a client that floods or stops reading
///   cannot fill the broker (docs/security.md "Queue limits").
enum BrokerDefinitions {
    /// The queues' length limits, as broker policies: name, queue pattern, limit, what a full queue
    /// does. A unit's assignments and the services' queues refuse more (the publisher's confirm is a
    /// nack: the outbox or the gateway publishes again later, nothing is lost); a reply queue drops
    /// its oldest answers (each is also on `hotline.events`).
    static let queueLimits: [(name: String, pattern: String, maxLength: Int, overflow: String)] = [
        ("hotline-reply-queues", #"^hotline\.reply\."#, 10_000, "drop-head"),
        ("hotline-unit-queues", #"^hotline\.unit\."#, 100_000, "reject-publish"),
        // not the dead letters: a full dead-letter queue would drop what is dead-lettered to it
        ("hotline-queues", #"^hotline\.(?!dead$)"#, 1_000_000, "reject-publish"),
    ]

    /// The connections a user may hold at once (and twice as many channels), so that one client that
    /// leaks connections cannot exhaust the broker (docs/security.md "Queue limits"): a service's
    /// copies hold up to four each (the announcement consumer is one), a unit's system or a client a few.
    static func connectionLimit(_ user: String) -> Int {
        // The open311 service's copies hold one connection each per Open311 client.
        if user.hasPrefix("svc.") || user.hasPrefix("open311.") { return 100 }
        if user.hasPrefix("unit.") { return 10 }
        return 50
    }

    /// The broker tags of `user`: `impersonator` for the console's service user (`ServiceAccount.impersonates`).
    static func tags(_ user: String) -> String {
        ServiceAccount.all.contains { $0.user == user && $0.impersonates } ? "impersonator" : ""
    }

    static func users(units: [String]) -> [String] {
        HotlineTopology.clientUsers + units.map { "unit.\($0)" } + ServiceAccount.all.map(\.user)
    }

    /// The document; the Open311 clients' users (`open311.<name>`) take their passwords from the
    /// clients file.
    static func document(
        units: [String], passwords: [String: String], vhost: String, open311: [Open311Clients.Client] = []
    ) -> JSONValue {
        let host = JSONValue.string(vhost)
        var permissions: [JSONValue] = []
        var topicPermissions: [JSONValue] = []
        func permit(_ user: String, configure: String = "^$", write: String, read: String) {
            permissions.append([
                "user": .string(user), "vhost": host, "configure": .string(configure), "write": .string(write),
                "read": .string(read),
            ])
        }
        func topic(_ user: String, exchange: String, write: String) {
            topicPermissions.append([
                "user": .string(user), "vhost": host, "exchange": .string(exchange), "write": .string(write), "read": ".*",
            ])
        }
        func reply(_ user: String) -> String { NSRegularExpression.escapedPattern(for: HotlineTopology.replyQueue(user)) }

        permit("gateway", write: "^hotline\\.(intake|commands)$", read: "^\(reply("gateway"))$")
        topic("gateway", exchange: Exchange.intake, write: "^ticket\\.submit$")
        topic("gateway", exchange: Exchange.commands, write: "^gateway\\.search-knowledge$")
        for client in open311 {
            permit(client.brokerUser, write: "^hotline\\.intake$", read: "^$")
            topic(client.brokerUser, exchange: Exchange.intake, write: "^ticket\\.submit$")
        }
        permit("center", write: "^hotline\\.commands$", read: "^(\(reply("center"))|hotline\\.dispatch\\.manual)$")
        topic("center", exchange: Exchange.commands, write: "^center\\.")
        permit("survey", write: "^hotline\\.commands$", read: "^\(reply("survey"))$")
        topic("survey", exchange: Exchange.commands, write: "^survey\\.")
        for unit in units {
            let user = "unit.\(unit)"
            let own = NSRegularExpression.escapedPattern(for: HotlineTopology.unitQueue(unit))
            permit(user, write: "^hotline\\.commands$", read: "^(\(own)|\(reply(user)))$")
            topic(user, exchange: Exchange.commands, write: "^unit\\.")
        }
        /// Exactly one of `names`, or a match of one of `patterns`.
        func anyOf(_ names: [String], or patterns: [String] = []) -> String {
            "^(" + (names.map(NSRegularExpression.escapedPattern(for:)) + patterns).joined(separator: "|") + ")$"
        }
        for account in ServiceAccount.all {
            let queues = account.topology.queues.map(\.name)
            let sources = Set(account.topology.bindings.map(\.exchange) + [Exchange.events]).sorted()
            // Each process's own announcement queue (`reference.changed`), named by a UUID.
            let announcements = NSRegularExpression.escapedPattern(
                for: HotlineTopology.announcementQueuePrefix(account.service)) + "[0-9a-f-]{36}"
            // Write on the dead-letter exchange lets it declare its announcement queue with it (the broker
            // asks so of a new queue); the topic permission below lets it publish there nothing.
            // The console also takes dead letters from `hotline.dead` and republishes them where they
            // were first published, events included.
            let deadLetters = account.impersonates ? [HotlineTopology.deadQueue] : []
            permit(
                account.user, configure: anyOf(queues, or: [announcements]),
                write: anyOf(queues + [Exchange.events, Exchange.deadLetters] + account.exchanges, or: [announcements]),
                read: anyOf(queues + sources + deadLetters, or: [announcements]))
            topic(account.user, exchange: Exchange.events, write: account.impersonates ? ".*" : anyOf(account.events.map(\.rawValue)))
            topic(account.user, exchange: Exchange.deadLetters, write: "^(?!)")
            if account.exchanges.contains(Exchange.notifications), !account.impersonates {
                let channels = HotlineTopology.notificationQueues.keys.sorted()
                topic(account.user, exchange: Exchange.notifications, write: "^(" + channels.joined(separator: "|") + ")\\.")
            }
        }

        var topology = HotlineTopology.core
        for unit in units { topology = topology + HotlineTopology.unit(unit) }
        var seenExchanges = Set<String>()
        let exchanges: [JSONValue] = topology.exchanges.compactMap { exchange in
            guard seenExchanges.insert(exchange.name).inserted else { return nil }
            return [
                "name": .string(exchange.name), "vhost": host, "type": .string(exchange.type), "durable": true,
                "auto_delete": false, "internal": false, "arguments": [:],
            ]
        }
        var seenQueues = Set<String>()
        let queues: [JSONValue] = topology.queues.compactMap { queue in
            guard seenQueues.insert(queue.name).inserted else { return nil }
            var arguments: [String: JSONValue] = [:]
            for (key, value) in queue.arguments {
                switch value {
                case .string(let text): arguments[key] = .string(text)
                case .int(let number): arguments[key] = .integer(number)
                }
            }
            return [
                "name": .string(queue.name), "vhost": host, "durable": true, "auto_delete": false,
                "arguments": .object(arguments),
            ]
        }
        let bindings: [JSONValue] = topology.bindings.map { binding in
            [
                "source": .string(binding.exchange), "vhost": host, "destination": .string(binding.queue),
                "destination_type": "queue", "routing_key": .string(binding.routingKey), "arguments": [:],
            ]
        }
        var secrets = passwords
        for client in open311 { secrets[client.brokerUser] = client.brokerPassword }
        let users: [JSONValue] = (users(units: units) + open311.map(\.brokerUser)).map { user in
            [
                "name": .string(user), "password_hash": .string(BrokerPasswordHash.hash(secrets[user] ?? "")),
                "hashing_algorithm": .string(BrokerPasswordHash.algorithm), "tags": .string(tags(user)),
                "limits": [
                    "max-connections": .integer(connectionLimit(user)), "max-channels": .integer(2 * connectionLimit(user)),
                ],
            ]
        }
        // The most specific pattern wins: a queue takes the matching policy of highest priority.
        let policies: [JSONValue] = queueLimits.enumerated().map { index, limit in
            [
                "vhost": host, "name": .string(limit.name), "pattern": .string(limit.pattern), "apply-to": "queues",
                "priority": .integer(queueLimits.count - index),
                "definition": ["max-length": .integer(limit.maxLength), "overflow": .string(limit.overflow)],
            ]
        }
        return [
            "users": .array(users), "vhosts": [["name": host]], "permissions": .array(permissions),
            "topic_permissions": .array(topicPermissions), "exchanges": .array(exchanges), "queues": .array(queues),
            "bindings": .array(bindings), "policies": .array(policies),
        ]
    }
}
