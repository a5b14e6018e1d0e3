import Hummingbird

/// A problem the person is told on the page, with the status it is answered with: theirs to fix
/// (400), not theirs to do (403), or nothing there (404).
struct ConsoleFailure: Error, CustomStringConvertible {
    let description: String
    let status: HTTPResponse.Status

    init(_ description: String, status: HTTPResponse.Status = .badRequest) {
        self.description = description
        self.status = status
    }
}
