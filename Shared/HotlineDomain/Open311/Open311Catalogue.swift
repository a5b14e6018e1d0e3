import Foundation

/// The duty catalogue (职责清单) as GeoReport v2 services and service definitions (docs/open311.md
/// "Services: the duty catalogue").
public struct Open311Catalogue: Sendable {
    public let jurisdiction: JurisdictionFile

    public init(jurisdiction: JurisdictionFile) { self.jurisdiction = jurisdiction }

    /// The catalogue item of `code`.
    public func item(_ code: String) -> CatalogueItem? { jurisdiction.catalogue.first { $0.code == code } }

    /// Who handles an item: the owning unit's name, or 街道 for the street's items.
    public func group(of item: CatalogueItem) -> String {
        switch item.owner {
        case .territorial: return "街道"
        case .unit(let code): return jurisdiction.unit(code)?.name ?? code
        }
    }

    /// `GET /services`.
    public var services: Open311Document {
        .list("services", item: "service", jurisdiction.catalogue.map { item in
            [
                .text("service_code", item.code), .text("service_name", item.name),
                .text("description", "\(item.name)（\(group(of: item))办理）"), Open311Field("metadata", .bool(true)),
                .text("type", "realtime"), .text("keywords", item.keywords.joined(separator: ", ")), .text("group", group(of: item)),
            ]
        })
    }

    /// `GET /services/{code}`; nil for a code the catalogue does not have.
    public func definition(_ code: String) -> Open311Document? {
        guard let item = item(code) else { return nil }
        let attributes = attributes(of: item).enumerated().map { Open311Value.record($0.element.fields(order: $0.offset + 1)) }
        return Open311Document(
            root: "service_definition",
            value: .record([.text("service_code", item.code), Open311Field("attributes", .list(item: "attribute", attributes))]))
    }

    /// The attributes a request of `item` may carry.
    public func attributes(of item: CatalogueItem) -> [Open311Attribute] {
        var attributes = [
            Open311Attribute(
                code: "street", datatype: .singlevaluelist, description: "街道：事项所在的街道",
                values: jurisdiction.areas.map { ($0.street, $0.street) }),
            Open311Attribute(code: "community", datatype: .string, description: "社区：事项所在的社区"),
            Open311Attribute(
                code: "kind", datatype: .singlevaluelist, description: "诉求类型（不填由平台分类）",
                values: TicketKind.allCases.map { ($0.rawValue, Self.kindNames[$0] ?? $0.rawValue) }),
            Open311Attribute(
                code: "urgency", datatype: .singlevaluelist, description: "紧急程度（不填由平台分类）",
                values: Urgency.allCases.map { ($0.rawValue, Self.urgencyNames[$0] ?? $0.rawValue) }),
            Open311Attribute(code: "title", datatype: .string, description: "标题，最多 200 字"),
            Open311Attribute(
                code: "callback", datatype: .singlevaluelist, description: "办理结果的回访方式（默认短信）",
                values: [("sms", "短信"), ("phone", "电话"), ("none", "不需回访")]),
        ]
        if item.needsPhotos == true {
            attributes.append(Open311Attribute(
                code: "photos", datatype: .text, variable: false, description: "此类事项请通过 media_url 附上现场照片"))
        }
        return attributes
    }

    static let kindNames: [TicketKind: String] = [
        .consultation: "咨询", .help: "求助", .complaint: "投诉", .report: "举报", .suggestion: "建议",
    ]
    static let urgencyNames: [Urgency: String] = [.urgent: "紧急", .fast: "快速", .normal: "一般"]
}
