import Foundation

/// How a deadline stands: met in time, met late, still open, or passed without being met.
public enum DeadlineStanding: String, Sendable {
    case met
    case late
    case open
    case overdue

    public init(due: Date, doneAt: Date?, now: Date) {
        if let doneAt {
            self = doneAt <= due ? .met : .late
        } else {
            self = now <= due ? .open : .overdue
        }
    }

    public var title: String {
        switch self {
        case .met: "按时"
        case .late: "超时完成"
        case .open: "进行中"
        case .overdue: "已超期"
        }
    }
}
