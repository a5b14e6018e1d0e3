import Foundation
import HotlineDomain
import HotlineMessaging

/// A command as the service that answers it reads it, the one way: who sent it is checked before the
/// body is read (`CommandAuthorization`), then the body is decoded. Each failure is the
/// `CommandRefused` to answer with (an unreadable body is kept).
public struct ReceivedCommand: Sendable {
    public let command: Command
    public let issuer: CommandIssuer
    /// The answering queue as refusals name it ("the survey's queue").
    public let queue: String

    public init(_ delivery: Delivery, answeredOn queue: String) throws {
        let type = delivery.commandType
        guard let commandType = CommandType(rawValue: type) else {
            throw CommandRefused(.invalid, "\(type.prefix(100)) is not answered on \(queue)")
        }
        switch CommandAuthorization.sender(of: commandType, userID: delivery.properties.userID) {
        case .failure(let refusal): throw CommandRefused(refusal)
        case .success(let issuer): self.issuer = issuer
        }
        switch Command.decode(type: type, body: Data(delivery.body)) {
        case .failure(let error): throw CommandRefused(.invalid, error.message, unreadable: true)
        case .success(let command): self.command = command
        }
        self.queue = queue
    }

    /// The refusal of a command type this queue does not answer.
    public var notAnsweredHere: CommandRefused {
        CommandRefused(.invalid, "\(command.type.rawValue) is not answered on \(queue)")
    }
}
