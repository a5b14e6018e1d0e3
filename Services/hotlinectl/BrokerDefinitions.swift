import Foundation
import HotlineMessaging
import HotlineRuntime

/// The RabbitMQ definitions document: users with least privilege, and the topology.
///
/// - Units (`unit.<code>`) read only their own assignment and reply queues and publish only
///   `unit.*` keys on `hotline.commands`; the center (`center`) publishes `center.*` and reads the
///   manual-dispatch queue; the survey channel publishes `survey.*`; gateways publish only to
///   `hotline.intake`. No client may configure anything.
/// - Services (`svc.<name>`) declare and use the `hotline.*` resources and reply through the
///   default exchange.
enum BrokerDefinitions {
    static let services = ["intake", "dispatcher", "sla-timer", "escalation-notifier", "survey"]

    static func users(units: [String]) -> [String] {
        HotlineTopology.clientUsers + units.map { "unit.\($0)" } + services.map { "svc.\($0)" }
    }

    static func document(units: [String], passwords: [String: String], vhost: String) -> [String: Any] {
        var permissions: [[String: Any]] = []
        var topicPermissions: [[String: Any]] = []
        func permit(_ user: String, configure: String = "^$", write: String, read: String) {
            permissions.append(["user": user, "vhost": vhost, "configure": configure, "write": write, "read": read])
        }
        func topic(_ user: String, exchange: String, write: String) {
            topicPermissions.append(["user": user, "vhost": vhost, "exchange": exchange, "write": write, "read": ".*"])
        }
        func reply(_ user: String) -> String { NSRegularExpression.escapedPattern(for: HotlineTopology.replyQueue(user)) }

        permit("gateway", write: "^hotline\\.intake$", read: "^\(reply("gateway"))$")
        topic("gateway", exchange: Exchange.intake, write: "^ticket\\.submit$")
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
        for service in services {
            permit("svc.\(service)", configure: "^hotline\\.", write: "^(hotline\\..*|amq\\.default)$", read: "^hotline\\.")
        }

        var topology = HotlineTopology.core
        for unit in units { topology = topology + HotlineTopology.unit(unit) }
        var seenExchanges = Set<String>()
        let exchanges: [[String: Any]] = topology.exchanges.compactMap { exchange in
            guard seenExchanges.insert(exchange.name).inserted else { return nil }
            return ["name": exchange.name, "vhost": vhost, "type": exchange.type, "durable": true,
                    "auto_delete": false, "internal": false, "arguments": [String: Any]()]
        }
        var seenQueues = Set<String>()
        let queues: [[String: Any]] = topology.queues.compactMap { queue in
            guard seenQueues.insert(queue.name).inserted else { return nil }
            var arguments: [String: Any] = [:]
            for (key, value) in queue.arguments {
                switch value {
                case .string(let text): arguments[key] = text
                case .int(let number): arguments[key] = number
                }
            }
            return ["name": queue.name, "vhost": vhost, "durable": true, "auto_delete": false, "arguments": arguments]
        }
        let bindings: [[String: Any]] = topology.bindings.map { binding in
            ["source": binding.exchange, "vhost": vhost, "destination": binding.queue, "destination_type": "queue",
             "routing_key": binding.routingKey, "arguments": [String: Any]()]
        }
        let users: [[String: Any]] = users(units: units).map { user in
            ["name": user, "password": passwords[user] ?? "", "tags": ""]
        }
        return [
            "users": users, "vhosts": [["name": vhost]], "permissions": permissions,
            "topic_permissions": topicPermissions, "exchanges": exchanges, "queues": queues, "bindings": bindings,
        ]
    }
}
