import HotlineDomain
import HotlineRuntime

/// The names the pages show for codes: units and catalogue items, from the reference data in force.
struct Directory: Sendable {
    let reference: ReferenceData

    struct Unit: Sendable {
        let code: String
        let name: String
    }

    var units: [Unit] { reference.jurisdiction.units.map { Unit(code: $0.code, name: $0.name) } }

    func unitName(_ code: String) -> String { reference.jurisdiction.unit(code)?.name ?? code }

    func categoryName(_ code: String?) -> String {
        guard let code else { return "未分类" }
        return reference.catalogue.item(code: code)?.name ?? code
    }

    var categories: [(code: String, name: String)] { reference.catalogue.items.map { ($0.code, $0.name) } }
}
