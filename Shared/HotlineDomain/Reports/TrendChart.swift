/// A daily trend line chart for the web console's dashboard, rendered as a self-contained SVG (no
/// script, no external resources): one line per series over the days, gaps where a day has no value.
public struct TrendChart: Sendable {
    /// One line: a name for the legend and a value per day, in `days` order (nil, NaN or a missing
    /// tail is no value that day: a gap in the line).
    public struct Series: Sendable {
        public let name: String
        public let values: [Double?]

        public init(name: String, values: [Double?]) {
            self.name = name
            self.values = values
        }
    }

    public let title: String
    /// The x axis, one position per day in the given order.
    public let days: [CalendarDate]
    public let series: [Series]
    public let valueFormat: ChartValueFormat
    public let width: Int
    public let height: Int

    public init(
        title: String, days: [CalendarDate], series: [Series], valueFormat: ChartValueFormat = .count,
        width: Int = 640, height: Int = 220
    ) {
        self.title = title
        self.days = days
        self.series = series
        self.valueFormat = valueFormat
        self.width = max(width, 240)
        self.height = max(height, 140)
    }

    /// The series' colours, in order (repeating after the tenth).
    static let palette = [
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    /// The complete `<svg>` element.
    public var svg: String {
        let values = series.map { line in days.indices.map { value(line, at: $0) } }
        let maximum = values.joined().compactMap { $0 }.max()
        let ticks = valueFormat.ticks(upTo: maximum ?? 0)
        let legend = legendLayout()
        let tickWidth = ticks.map { SVGText.estimatedWidth(of: valueFormat.tickText($0), fontSize: 11) }.max() ?? 0
        let frame = Frame(
            left: 12 + tickWidth + 8, right: Double(width) - 20, top: legend.plotTop,
            bottom: max(legend.plotTop + 40, Double(height) - 28), days: days.count, topValue: ticks.last ?? 1)
        let c = SVGText.coordinate
        func axis(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> String {
            SVGText.element("line", ["x1": c(x1), "y1": c(y1), "x2": c(x2), "y2": c(y2), "stroke": "#999999", "stroke-width": "1"])
        }

        var body = legend.items
        if maximum != nil {
            for tick in ticks {
                body.append(SVGText.element("line", [
                    "x1": c(frame.left), "y1": c(frame.y(tick)), "x2": c(frame.right), "y2": c(frame.y(tick)),
                    "stroke": tick == 0 ? "#999999" : "#e5e5e5", "stroke-width": "1",
                ]))
                body.append(SVGText.element("text", [
                    "x": c(frame.left - 6), "y": c(frame.y(tick) + 4), "font-size": "11px", "fill": "#666666",
                    "text-anchor": "end",
                ], text: valueFormat.tickText(tick)))
            }
        } else {
            body.append(axis(frame.left, frame.bottom, frame.right, frame.bottom))
            body.append(SVGText.element("text", [
                "x": c((frame.left + frame.right) / 2), "y": c((frame.top + frame.bottom) / 2 + 5), "font-size": "14px",
                "fill": "#999999", "text-anchor": "middle",
            ], text: "无数据"))
        }
        body.append(axis(frame.left, frame.top, frame.left, frame.bottom))
        for index in xLabelIndices(plotWidth: frame.right - frame.left) {
            body.append(axis(frame.x(index), frame.bottom, frame.x(index), frame.bottom + 4))
            body.append(SVGText.element("text", [
                "x": c(frame.x(index)), "y": c(frame.bottom + 17), "font-size": "11px", "fill": "#666666", "text-anchor": "middle",
            ], text: Self.monthDay(days[index])))
        }
        if maximum != nil {
            for (number, (line, lineValues)) in zip(series, values).enumerated() {
                body.append(marks(of: line, values: lineValues, colour: Self.palette[number % Self.palette.count], in: frame))
            }
        }
        return SVGText.chart(title: title, width: width, height: height, body: body)
    }

    /// Where the plot area lies and where a day and a value fall in it.
    struct Frame {
        let left, right, top, bottom: Double
        let days: Int
        let topValue: Double

        func x(_ index: Int) -> Double {
            days < 2 ? (left + right) / 2 : left + Double(index) * (right - left) / Double(days - 1)
        }

        /// Values outside 0…topValue are drawn at the edge (their hover text stays exact).
        func y(_ value: Double) -> Double { bottom - min(max(value, 0), topValue) / max(topValue, 1e-9) * (bottom - top) }
    }

    /// The value of `series` on the day at `index`; nil when there is none.
    func value(_ series: Series, at index: Int) -> Double? {
        guard index < series.values.count, let value = series.values[index], value.isFinite else { return nil }
        return value
    }

    /// A series' group: one polyline per run of consecutive days with values (a lone value is only its
    /// dot) and a dot per value with a hover title `name MM-DD: value`.
    func marks(of line: Series, values: [Double?], colour: String, in frame: Frame) -> String {
        let c = SVGText.coordinate
        var children: [String] = []
        // Smaller dots when days are dense (about 8 px apart or less: more than ~70 days at the default width).
        let radius = values.count > 1 && (frame.right - frame.left) / Double(values.count - 1) < 8 ? "1.5" : "2.5"
        var run: [String] = []
        for index in 0...values.count {
            if index < values.count, let value = values[index] {
                run.append("\(c(frame.x(index))),\(c(frame.y(value)))")
                continue
            }
            if run.count > 1 {
                children.append(SVGText.element("polyline", [
                    "points": run.joined(separator: " "), "fill": "none", "stroke": colour, "stroke-width": "2",
                    "stroke-linejoin": "round", "stroke-linecap": "round",
                ]))
            }
            run = []
        }
        for (index, value) in values.enumerated() {
            guard let value else { continue }
            let hover = SVGText.element("title", text: "\(line.name) \(Self.monthDay(days[index])): \(valueFormat.text(value))")
            children.append(SVGText.element(
                "circle", ["cx": c(frame.x(index)), "cy": c(frame.y(value)), "r": radius, "fill": colour], children: [hover]))
        }
        return SVGText.element("g", ["class": "series", "data-series": line.name], children: children)
    }

    /// `MM-DD`.
    static func monthDay(_ day: CalendarDate) -> String { String(day.description.suffix(5)) }

    /// The days that get an x label: every n-th from the first, so that labels keep apart.
    func xLabelIndices(plotWidth: Double) -> [Int] {
        guard days.count > 1 else { return Array(days.indices) }
        let spacing = plotWidth / Double(days.count - 1)
        let needed = SVGText.estimatedWidth(of: "00-00", fontSize: 11) + 10
        let every = max(1, Int((needed / spacing).rounded(.up)))
        return Array(stride(from: 0, to: days.count, by: every))
    }

    /// The legend's entries and where the plot can start under the title and legend: the legend sits
    /// on the title's line at the right when it fits there, else in rows under the title.
    func legendLayout() -> (items: [String], plotTop: Double) {
        let widths = series.map { 22 + SVGText.estimatedWidth(of: $0.name, fontSize: 12) }
        let gap = 14.0
        let total = widths.reduce(0, +) + gap * Double(max(widths.count - 1, 0))
        let right = Double(width) - 12
        let onTitleLine = 12 + SVGText.estimatedWidth(of: title, fontSize: 14) + 24 + total <= right
        var positions: [(x: Double, y: Double)] = []
        var (x, y) = onTitleLine ? (right - total, 22.0) : (12.0, 42.0)
        for width in widths {
            if !onTitleLine, x > 12, x + width > right { (x, y) = (12, y + 18) }
            positions.append((x, y))
            x += width + gap
        }
        let c = SVGText.coordinate
        let items = zip(series, positions).enumerated().map { number, entry in
            let (line, at) = entry
            let colour = Self.palette[number % Self.palette.count]
            return SVGText.element("g", ["class": "legend"], children: [
                SVGText.element("line", [
                    "x1": c(at.x), "y1": c(at.y - 4), "x2": c(at.x + 16), "y2": c(at.y - 4), "stroke": colour, "stroke-width": "2",
                ]),
                SVGText.element("circle", ["cx": c(at.x + 8), "cy": c(at.y - 4), "r": "2.5", "fill": colour]),
                SVGText.element("text", ["x": c(at.x + 22), "y": c(at.y), "font-size": "12px", "fill": "#333333"], text: line.name),
            ])
        }
        return (items, onTitleLine || widths.isEmpty ? 36 : y + 16)
    }
}
