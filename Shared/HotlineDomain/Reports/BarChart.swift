/// Horizontal bars ranking units (or anything named) for the web console's dashboard, rendered as a
/// self-contained SVG: one row per bar in the given order, the label at the left, the value and an
/// optional note after the bar. The height grows with the number of bars.
public struct BarChart: Sendable {
    /// One row: a label (a unit's name), its value (nil or NaN: no value, shown as `—`) and an optional
    /// note printed after the value, such as the counts behind a rate (`45/50`).
    public struct Bar: Sendable {
        public let label: String
        public let value: Double?
        public let note: String?

        public init(label: String, value: Double?, note: String? = nil) {
            self.label = label
            self.value = value
            self.note = note
        }
    }

    public let title: String
    public let bars: [Bar]
    /// `.percent` draws each bar against a 100% track with the values in a column after it; `.count`
    /// scales the bars to the largest value and prints each value after its bar.
    public let valueFormat: ChartValueFormat
    public let width: Int

    public init(title: String, bars: [Bar], valueFormat: ChartValueFormat = .count, width: Int = 640) {
        self.title = title
        self.bars = bars
        self.valueFormat = valueFormat
        self.width = max(width, 240)
    }

    static let rowHeight = 24.0
    static let top = 36.0
    static let labelSize = 12.0

    /// The chart's height: the title, a row per bar (one row for “无数据” when there is none), a margin.
    public var height: Int { Int(Self.top + Self.rowHeight * Double(max(bars.count, 1)) + 10) }

    /// The complete `<svg>` element.
    public var svg: String {
        let c = SVGText.coordinate
        let values = bars.map { $0.value.flatMap { $0.isFinite ? $0 : nil } }
        let texts = values.map { $0.map(valueFormat.text) ?? "—" }
        let labelWidth = min(
            bars.map { SVGText.estimatedWidth(of: $0.label, fontSize: Self.labelSize) }.max() ?? 0, Double(width) * 0.4)
        let valueWidth = zip(bars, texts).map { bar, text in
            SVGText.estimatedWidth(of: text, fontSize: Self.labelSize)
                + (bar.note.map { 6 + SVGText.estimatedWidth(of: $0, fontSize: Self.labelSize) } ?? 0)
        }.max() ?? 0
        let barLeft = 12 + labelWidth + 8
        let barRight = max(barLeft + 40, Double(width) - 12 - valueWidth - 6)
        let scale = valueFormat == .percent ? 1 : max(values.compactMap { $0 }.max() ?? 1, 1e-9)

        var body: [String] = []
        if bars.isEmpty {
            body.append(SVGText.element("text", [
                "x": c(Double(width) / 2), "y": c(Self.top + 17), "font-size": "14px", "fill": "#999999", "text-anchor": "middle",
            ], text: "无数据"))
        }
        for (row, (bar, value)) in zip(bars, values).enumerated() {
            let rowTop = Self.top + Double(row) * Self.rowHeight
            let baseline = c(rowTop + 16)
            let length = value.map { min(max($0, 0), scale) / scale * (barRight - barLeft) } ?? 0
            let hover = "\(bar.label): \(texts[row])" + (bar.note.map { " (\($0))" } ?? "")
            var children = [
                SVGText.element("title", text: hover),
                SVGText.element("text", [
                    "x": c(barLeft - 8), "y": baseline, "font-size": "12px", "fill": "#333333", "text-anchor": "end",
                ], text: SVGText.truncated(bar.label, toWidth: labelWidth, fontSize: Self.labelSize)),
            ]
            if valueFormat == .percent {
                children.append(SVGText.element("rect", [
                    "x": c(barLeft), "y": c(rowTop + 5), "width": c(barRight - barLeft), "height": "14", "fill": "#eef1f5",
                ]))
            }
            if let value {
                children.append(SVGText.element("rect", [
                    "class": "bar", "x": c(barLeft), "y": c(rowTop + 5), "width": c(value > 0 ? max(length, 1) : 0),
                    "height": "14", "fill": TrendChart.palette[0],
                ]))
            }
            let note = bar.note.map { SVGText.element("tspan", ["dx": "6", "fill": "#888888"], text: $0) }
            children.append(SVGText.element("text", [
                "x": c((valueFormat == .percent ? barRight : barLeft + length) + 6), "y": baseline, "font-size": "12px",
                "fill": value == nil ? "#999999" : "#222222",
            ], text: texts[row], children: note.map { [$0] } ?? []))
            body.append(SVGText.element("g", ["class": "row"], children: children))
        }
        return SVGText.chart(title: title, width: width, height: height, body: body)
    }
}
