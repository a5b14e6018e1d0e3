/// What a chart's values are: counts (whole-number axis ticks) or rates from 0 to 1 (shown as percent,
/// axis 0–100%).
public enum ChartValueFormat: Sendable, Hashable {
    case count
    case percent

    /// A value as a chart prints it: `1234`, `2.5` (a count with a fraction), `92.3%`.
    public func text(_ value: Double) -> String {
        switch self {
        case .count: return SVGText.number(value, decimals: value == value.rounded() ? 0 : 1)
        case .percent: return SVGText.number(value * 100, decimals: 1) + "%"
        }
    }

    /// An axis tick's label: `150`, `20%`.
    func tickText(_ value: Double) -> String {
        switch self {
        case .count: return SVGText.number(value, decimals: value == value.rounded() ? 0 : 1)
        case .percent: return SVGText.number(value * 100) + "%"
        }
    }

    /// The axis ticks from 0 up to a round top that covers `maximum`: 0–100% in steps of 20% for
    /// rates; for counts a step of 1, 2, 2.5 or 5 times a power of ten (at least 1) giving at most 5
    /// intervals.
    func ticks(upTo maximum: Double) -> [Double] {
        switch self {
        case .percent:
            return (0...5).map { Double($0) / 5 }
        case .count:
            let top = maximum.isFinite ? max(maximum, 1) : 1
            var magnitude = 1.0
            while magnitude < 1e300 {
                for multiple in magnitude < 10 ? [1.0, 2, 5] : [1.0, 2, 2.5, 5] {
                    let step = multiple * magnitude
                    let intervals = (top / step).rounded(.up)
                    if intervals <= 5 { return (0...Int(intervals)).map { Double($0) * step } }
                }
                magnitude *= 10
            }
            return [0, top]
        }
    }
}
