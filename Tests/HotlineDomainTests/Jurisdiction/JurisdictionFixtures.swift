import Foundation

@testable import HotlineDomain

/// A small jurisdiction in the contract's format, as JSON (the tests do no file I/O).
enum JurisdictionFixtures {
    static let json = #"""
        {
          "jurisdiction": {"code": "pingshan", "name": "坪山区", "timezone": "Asia/Shanghai", "profile": "pingshan", "ticket_prefix": "PS"},
          "leaders": {"principal": {"name": "区长", "phone": "13900000001"}},
          "units": [
            {"code": "CG", "name": "区城市管理和综合执法局", "kind": "department",
             "head": {"name": "局长", "phone": "13900000010"}, "leader_in_charge": {"name": "分管副区长", "phone": "13900000002"}},
            {"code": "ZJ", "name": "区住房和建设局", "kind": "department", "head": {"name": "局长", "phone": "13900000011"}},
            {"code": "HB", "name": "生态环境局坪山管理局", "kind": "department", "head": {"name": "局长", "phone": "13900000012"}},
            {"code": "ZFW", "name": "区委政法委", "kind": "department", "head": {"name": "书记", "phone": "13900000013"}},
            {"code": "YJ", "name": "区应急管理局", "kind": "department", "head": {"name": "局长", "phone": "13900000014"}},
            {"code": "XF", "name": "区信访局", "kind": "department", "head": {"name": "局长", "phone": "13900000015"}},
            {"code": "SW", "name": "水务集团", "kind": "enterprise", "head": {"name": "总经理", "phone": "13900000016"}},
            {"code": "KZ", "name": "坑梓街道办事处", "kind": "street_office", "head": {"name": "主任", "phone": "13900000020"}},
            {"code": "PS1", "name": "坪山街道办事处", "kind": "street_office", "head": {"name": "主任", "phone": "13900000021"}}
          ],
          "areas": [
            {"street": "坑梓街道", "office": "KZ", "communities": ["秀新社区", "坑梓社区"]},
            {"street": "坪山街道", "office": "PS1", "communities": ["六和社区"]}
          ],
          "warnings": {"urgent": ["ZFW", "YJ", "XF"], "fast": ["street_office"]},
          "catalogue": [
            {"code": "CG-001", "name": "占道经营", "keywords": ["占道", "摆摊", "流动摊贩"], "owner": "CG", "co_units": [],
             "kind": "complaint", "urgency": "normal", "handle_working_days": 7, "basis": "《深圳经济特区市容和环境卫生管理条例》"},
            {"code": "HB-002", "name": "餐饮油烟", "keywords": ["油烟", "餐馆"], "owner": "HB", "co_units": ["CG"]},
            {"code": "ZJ-003", "name": "违章搭建", "keywords": ["违建", "搭建"], "owner": "ZJ", "co_units": ["CG", "KZ"]},
            {"code": "JD-001", "name": "小区环境", "keywords": ["垃圾", "杂物"], "owner": "territorial"},
            {"code": "SW-001", "name": "供水", "keywords": ["停水", "水压"], "owner": "SW", "needs_photos": true},
            {"code": "XX-009", "name": "已撤销单位的事项", "keywords": ["旧事项"], "owner": "OLD"},
            {"code": "CG-002", "name": "广告牌", "keywords": ["广告", "Billboard"], "owner": "CG", "survey_excluded": true}
          ]
        }
        """#

    static func file() throws -> JurisdictionFile {
        try JSONDecoder().decode(JurisdictionFile.self, from: Data(json.utf8))
    }
}
