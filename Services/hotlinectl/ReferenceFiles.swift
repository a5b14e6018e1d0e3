import Foundation
import HotlineRuntime
import Yams

/// Reads a YAML (or JSON) reference file into a model, with one-line errors naming the file.
enum ReferenceFile {
    static func decode<T: Decodable>(_ type: T.Type, path: String) throws -> T {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ReferenceDataError("\(path): cannot read (\(error.localizedDescription))")
        }
        do {
            return try YAMLDecoder().decode(T.self, from: text)
        } catch {
            throw ReferenceDataError("\(path): \(FileProblem.describe(error))")
        }
    }
}
