import CSV
import Foundation
import HotlineDomain
import HotlineRuntime

/// A catalogue spreadsheet's file: its rows (read by CSV.swift), and the mapping file of its headers.
enum CatalogueSheetFile {
    /// The header and the rows of CSV text, comma-separated, or tab-separated when the header has
    /// tabs and no commas (Excel's "Unicode text").
    static func rows(of text: String, path: String) throws -> (header: [String], rows: [[String]]) {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let delimiter: UnicodeScalar = firstLine.contains("\t") && !firstLine.contains(",") ? "\t" : ","
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, delimiter: delimiter)
        } catch {
            throw ReferenceDataError("\(path): no header row")
        }
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        if let error = reader.error { throw ReferenceDataError("\(path): row \(rows.count + 2): \(error)") }
        return (reader.headerRow ?? [], rows)
    }

    /// A mapping file: `field: header` lines (`owner: 牵头单位`).
    static func read(path: String) throws -> [CatalogueSheet.Field: String] {
        let names = try ReferenceFile.decode([String: String].self, path: path)
        var mapping: [CatalogueSheet.Field: String] = [:]
        for (key, header) in names {
            guard let field = CatalogueSheet.Field(rawValue: key) else {
                throw ReferenceDataError(
                    "\(path): \(key) is no field (\(CatalogueSheet.Field.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            mapping[field] = header
        }
        return mapping
    }
}
