extension HotlineReport {
    /// The whole range's figures, the periods' counts added up: every count falls in exactly one
    /// period (by the time its fact happened), so a report by day gives its range's totals too.
    public var wholeRange: ReportPeriodFigures {
        var whole = ReportPeriodFigures(period: ReportPeriod(key: from, label: "\(from)..\(to)", from: from, to: to))
        for period in periods {
            for (count, value) in period.total.counts { whole.total.add(count, value) }
            for (unit, figures) in period.units {
                for (count, value) in figures.counts { whole.units[unit, default: ReportFigures(centerWide: false)].add(count, value) }
            }
        }
        return whole
    }
}
