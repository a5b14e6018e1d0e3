import Foundation
import XCTest

@testable import HotlineDomain

#if canImport(FoundationXML)
import FoundationXML
#endif

final class ChartTests: XCTestCase {
    private let start = CalendarDate(year: 2026, month: 11, day: 1)!
    private func days(_ count: Int) -> [CalendarDate] { (0..<count).map { start.adding(days: $0) } }

    /// The SVG parsed as XML (failing the test when it is not well-formed) and all its elements.
    private func elements(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws -> [XMLElement] {
        let document = try XMLDocument(xmlString: svg, options: [])
        let root = try XCTUnwrap(document.rootElement(), file: file, line: line)
        XCTAssertEqual(root.localName ?? root.name, "svg", file: file, line: line)
        var found: [XMLElement] = []
        func walk(_ element: XMLElement) {
            found.append(element)
            for child in element.children ?? [] { if let child = child as? XMLElement { walk(child) } }
        }
        walk(root)
        return found
    }

    /// An attribute's value (read from `attributes`: FoundationXML's `attribute(forName:)` finds nothing
    /// on elements in a default namespace).
    private func attribute(_ name: String, of element: XMLElement?) -> String? {
        element?.attributes?.first { $0.name == name }?.stringValue
    }

    private func named(_ name: String, _ elements: [XMLElement], class className: String? = nil) -> [XMLElement] {
        elements.filter {
            ($0.localName ?? $0.name) == name
                && (className == nil || attribute("class", of: $0) == className)
        }
    }

    private func texts(_ elements: [XMLElement]) -> [String] { named("text", elements).compactMap(\.stringValue) }

    func testUserTextIsEscapedAndSurvivesParsing() throws {
        let tricky = #"<&"'> 市局"#
        let trend = TrendChart(title: tricky, days: days(3), series: [.init(name: tricky, values: [1, 2, 3])]).svg
        let bars = BarChart(title: tricky, bars: [.init(label: tricky, value: 1, note: tricky)]).svg
        for svg in [trend, bars] {
            XCTAssertTrue(svg.contains("&lt;&amp;&quot;&apos;&gt; 市局"))
            XCTAssertFalse(svg.contains(tricky))
            let all = try elements(svg)
            XCTAssertEqual(attribute("aria-label", of: all.first), tricky)
            XCTAssertTrue(texts(all).contains(tricky), "the parsed text is the original")
        }
        XCTAssertEqual(SVGText.escaped("a\u{0}b\u{1B}c\nd\u{FFFF}"), "abc\nd", "characters XML forbids are dropped")
    }

    func testOneLinePerSeriesInDistinctColours() throws {
        let series = (0..<3).map { n in TrendChart.Series(name: "S\(n)", values: (0..<7).map { Double($0 + n) }) }
        let all = try elements(TrendChart(title: "t", days: days(7), series: series).svg)
        let groups = named("g", all, class: "series")
        XCTAssertEqual(groups.map { attribute("data-series", of: $0) }, ["S0", "S1", "S2"])
        let lines = named("polyline", all)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(Set(lines.compactMap { attribute("stroke", of: $0) }).count, 3)
        XCTAssertEqual(attribute("points", of: lines.first)?.split(separator: " ").count, 7)
        XCTAssertEqual(named("circle", all).filter { $0.stringValue?.isEmpty == false }.count, 21, "a dot with a title per value")
    }

    func testNilValuesLeaveGaps() throws {
        let all = try elements(TrendChart(title: "t", days: days(5), series: [.init(name: "a", values: [1, 2, nil, 3, 4])]).svg)
        let lines = named("polyline", all)
        XCTAssertEqual(lines.count, 2, "the line breaks at the missing day")
        XCTAssertEqual(lines.map { attribute("points", of: $0)?.split(separator: " ").count }, [2, 2])
        // A lone value between gaps is only a dot; a short values array ends in a gap; NaN is no value.
        let sparse = try elements(TrendChart(
            title: "t", days: days(8), series: [.init(name: "a", values: [1, nil, 2, .nan, nil, 3, 4])]).svg)
        XCTAssertEqual(named("polyline", sparse).count, 1)
        let dots = named("circle", sparse).compactMap(\.stringValue).filter { !$0.isEmpty }
        XCTAssertEqual(dots, ["a 11-01: 1", "a 11-03: 2", "a 11-06: 3", "a 11-07: 4"])
    }

    func testNiceTicks() throws {
        XCTAssertEqual(ChartValueFormat.count.ticks(upTo: 7), [0, 2, 4, 6, 8])
        XCTAssertEqual(ChartValueFormat.count.ticks(upTo: 100), [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(ChartValueFormat.count.ticks(upTo: 101), [0, 25, 50, 75, 100, 125])
        XCTAssertEqual(ChartValueFormat.count.ticks(upTo: 3), [0, 1, 2, 3])
        XCTAssertEqual(ChartValueFormat.count.ticks(upTo: 0), [0, 1])
        XCTAssertEqual(ChartValueFormat.count.ticks(upTo: 0.3), [0, 1], "count ticks are whole numbers")
        XCTAssertEqual(ChartValueFormat.count.ticks(upTo: 1234), [0, 250, 500, 750, 1000, 1250])
        XCTAssertEqual(ChartValueFormat.percent.ticks(upTo: 0.4), [0, 0.2, 0.4, 0.6, 0.8, 1])
        let all = try elements(TrendChart(title: "t", days: days(3), series: [.init(name: "a", values: [3, 7, 5])]).svg)
        let axis = named("text", all).filter { attribute("text-anchor", of: $0) == "end" }
        XCTAssertEqual(axis.compactMap(\.stringValue), ["0", "2", "4", "6", "8"])
    }

    func testPercentMode() throws {
        let chart = TrendChart(
            title: "满意率", days: days(3), series: [.init(name: "满意率", values: [0.9, 0.923, 1])], valueFormat: .percent)
        let all = try elements(chart.svg)
        let axis = named("text", all).filter { attribute("text-anchor", of: $0) == "end" }
        XCTAssertEqual(axis.compactMap(\.stringValue), ["0%", "20%", "40%", "60%", "80%", "100%"])
        XCTAssertTrue(named("circle", all).compactMap(\.stringValue).contains("满意率 11-02: 92.3%"))
        XCTAssertEqual(ChartValueFormat.percent.text(0.5), "50.0%")
        XCTAssertEqual(ChartValueFormat.count.text(1234), "1234")
        XCTAssertEqual(ChartValueFormat.count.text(2.5), "2.5")
    }

    func testEmptyDataSaysSo() throws {
        let charts = [
            TrendChart(title: "t", days: [], series: [.init(name: "a", values: [1])]),
            TrendChart(title: "t", days: days(4), series: [.init(name: "a", values: [nil, nil, .nan])]),
            TrendChart(title: "t", days: days(4), series: []),
        ]
        for chart in charts {
            let all = try elements(chart.svg)
            XCTAssertTrue(texts(all).contains("无数据"))
            XCTAssertTrue(named("polyline", all).isEmpty)
            XCTAssertTrue(named("g", all, class: "series").isEmpty)
        }
        XCTAssertFalse(TrendChart(title: "t", days: days(1), series: [.init(name: "a", values: [0])]).svg.contains("无数据"))
        let bars = try elements(BarChart(title: "t", bars: []).svg)
        XCTAssertTrue(texts(bars).contains("无数据"))
    }

    func testXLabelsAreMonthDayAndKeepApart() throws {
        let all = try elements(TrendChart(title: "t", days: days(90), series: [.init(name: "a", values: [1])]).svg)
        let labels = named("text", all).filter { attribute("text-anchor", of: $0) == "middle" }
        XCTAssertEqual(labels.first?.stringValue, "11-01")
        XCTAssertLessThan(labels.count, 20)
        let xs = labels.compactMap { attribute("x", of: $0).flatMap { Double($0) } }
        XCTAssertEqual(xs.count, labels.count)
        for (a, b) in zip(xs, xs.dropFirst()) { XCTAssertGreaterThanOrEqual(b - a, 33, "labels do not overlap") }
        let few = try elements(TrendChart(title: "t", days: days(5), series: [.init(name: "a", values: [1])]).svg)
        XCTAssertEqual(
            named("text", few).filter { attribute("text-anchor", of: $0) == "middle" }.compactMap(\.stringValue),
            ["11-01", "11-02", "11-03", "11-04", "11-05"])
    }

    func testBarsOnePerRowWithNotesAndDashes() throws {
        let bars: [BarChart.Bar] = [
            .init(label: "市住房和城乡建设局", value: 1, note: "50/50"),
            .init(label: "市教育局", value: 0.5, note: "45/90"),
            .init(label: "市公安局交通警察支队", value: nil, note: "0/0"),
        ]
        let chart = BarChart(title: "响应率", bars: bars, valueFormat: .percent)
        let all = try elements(chart.svg)
        XCTAssertEqual(named("g", all, class: "row").count, 3)
        let drawn = named("rect", all, class: "bar")
        XCTAssertEqual(drawn.count, 2, "no bar for a missing value")
        let widths = drawn.compactMap { attribute("width", of: $0).flatMap { Double($0) } }
        XCTAssertEqual(widths.count, 2)
        if widths.count == 2 { XCTAssertEqual(widths[1] / widths[0], 0.5, accuracy: 0.01) }
        XCTAssertTrue(texts(all).contains("100.0%50/50"), "the note follows the value (in a tspan)")
        XCTAssertTrue(texts(all).contains("—0/0"))
        XCTAssertTrue(texts(all).contains("市公安局交通警察支队"))
        let twelve = BarChart(title: "t", bars: (1...12).map { .init(label: "单位\($0)", value: Double($0)) })
        XCTAssertEqual(named("rect", try elements(twelve.svg), class: "bar").count, 12)
        XCTAssertGreaterThan(twelve.height, chart.height)
        XCTAssertTrue(twelve.svg.contains(#"viewBox="0 0 640 \#(twelve.height)""#))
    }

    func testNumbersIgnoreTheLocale() {
        XCTAssertEqual(SVGText.number(1.25, decimals: 1), "1.3")
        XCTAssertEqual(SVGText.number(1234567.891, decimals: 2), "1234567.89")
        XCTAssertEqual(SVGText.number(0.05, decimals: 3), "0.050")
        XCTAssertEqual(SVGText.number(-2.5), "-3")
        XCTAssertEqual(SVGText.number(-0.04, decimals: 1), "0.0")
        XCTAssertEqual(SVGText.number(.nan, decimals: 1), "0")
        XCTAssertEqual(SVGText.estimatedWidth(of: "市局ab", fontSize: 10), 32, accuracy: 0.001)
    }
}
