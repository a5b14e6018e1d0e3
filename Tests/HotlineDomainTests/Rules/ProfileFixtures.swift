// Rule profiles as JSON, generated from deploy/profiles/*.yaml (the tests do no file I/O).

enum ProfileFixtures {
    static let pingshan = #"""
        {
          "acceptance_notice": {"from": "signing", "within": {"working_days": 1}},
          "alerts": {"high_frequency": {"count": 5, "same": ["category", "community"], "within": {"days": 30}}, "hotspot": {"count": 3, "distinct_citizens": true, "same": ["category", "community"], "within": {"hours": 24}}, "repeat_caller": {"count": 3, "same": ["citizen", "category"], "within": {"days": 30}}, "sensitive_words": ["群体性", "集体上访", "上访", "静坐", "拉横幅", "堵路", "围堵", "媒体曝光", "曝光", "网络舆情", "自杀", "讨薪", "维权"]},
          "cards": {"red_after_consecutive_yellow": 2, "yellow": {"overdue_tickets": 10, "shirked_tickets": 3}},
          "classification": {"default_kind": "complaint", "default_urgency": "normal", "kind_words": [{"kind": "report", "words": ["举报"]}, {"kind": "help", "words": ["求助", "帮忙", "帮帮"]}, {"kind": "suggestion", "words": ["建议", "希望增设", "希望增加"]}, {"kind": "consultation", "words": ["请问", "咨询", "如何办理", "怎么办理", "怎么"]}], "urgency_words": [{"urgency": "urgent", "words": ["燃气泄漏", "煤气", "天然气泄漏", "山体滑坡", "滑坡", "塌方", "坍塌", "塌陷", "爆管", "停电", "停水", "停气", "漏电"]}, {"urgency": "fast", "words": ["安全隐患", "隐患", "井盖", "积水", "倒伏", "危房", "裂缝", "冒烟"]}]},
          "dispatch": {"clear_case_within": {"hours": 1}, "from": "acceptance", "within": {"fast": {"hours": 1}, "normal": {"hours": 2}, "urgent": {"minutes": 30}}},
          "escalation": {"tiers": [{"over_days": 0, "recipients": ["principal_head"], "tier": 1}, {"over_days": 3, "recipients": ["leader_in_charge"], "tier": 2}, {"from_days": 7, "recipients": ["district_principal"], "tier": 3}]},
          "extension": {"before_deadline": true, "each_equals_original_limit": false, "max_count": 1, "max_working_days": {"complaint": 5, "consultation": 1, "others": 5, "suggestion": 3}, "not_within_working_days_of_signing": {"complaint": 3, "help": 3, "report": 3}, "superior_channels": false},
          "feedback": {"from": "dispatch", "within": {"fast": {"hours": 24}, "urgent": {"hours": 2}}},
          "handling": {"from": "dispatch", "within": {"complaint": {"working_days": 7}, "consultation": {"working_days": 1}, "others": {"working_days": 7}, "suggestion": {"working_days": 3}}},
          "intake": {"anonymous_own_rights_refused": false, "emergency_redirects": [{"number": "119", "words": ["火灾", "着火", "起火", "失火", "爆炸", "被困电梯"]}, {"number": "120", "words": ["受伤", "昏迷", "晕倒", "急救", "心脏病发", "中毒"]}, {"number": "110", "words": ["抢劫", "打架", "斗殴", "持刀", "杀人", "绑架", "盗窃进行中", "跳楼"]}, {"number": "122", "words": ["车祸", "交通事故", "撞车"]}], "min_description_length": 5, "no_substance_texts": ["测试", "无", "没有", "没事", "打错了", "不知道", "你好", "喂"]},
          "name": "坪山区民生诉求管理办法（第六版）",
          "profile": "pingshan",
          "reopen": {"use_original_limit": true},
          "return": {"after_extension": false, "again_after_denial": false, "approved_restarts_deadline": true, "from": "dispatch", "late_requests": "refused", "reason_and_basis_required": true, "refused_without_review": ["no_basis", "cannot_contact", "insufficient_detail", "minor_error", "needs_own_inquiry", "partial_mismatch"], "review_time_counts": false, "superior_channels_within": {"hours": 2}, "within": {"working_days": 1}, "written_explanation_required": false},
          "sign": {"auto_sign": true, "from": "dispatch", "within": {"complaint": {"working_hours": 3}, "consultation": {"working_hours": 2}, "others": {"working_hours": 3}, "suggestion": {"working_hours": 2}}},
          "stage_resolution": {"approvals": [{"approver": "unit_deputy_head", "up_to_months": 1}, {"approver": "unit_head", "below_months": 3}, {"approver": "district_leader"}]},
          "survey": {"callback_after_final_dissatisfaction": false, "exclusion_allowed": false, "expires_after": {"days": 3}, "rehandle_on_request": true, "scale": "stars", "second_survey_final": false, "stars": {"dimensions": ["speed", "effect", "experience", "feedback"], "max": 5, "min": 1, "rehandle_at_most": 2, "rehandle_dimensions": ["effect", "feedback"]}},
          "warnings": {"at_fraction": 0.75, "before_deadline": {"working_hours": 1}}
        }
        """#

    static let pingli = #"""
        {
          "acceptance_notice": {"from": "signing", "within": {"working_days": 1}},
          "alerts": {"high_frequency": {"count": 5, "same": ["category", "community"], "within": {"days": 30}}, "hotspot": {"count": 3, "distinct_citizens": true, "same": ["category", "community"], "within": {"hours": 24}}, "repeat_caller": {"count": 3, "same": ["citizen", "category"], "within": {"days": 30}}, "sensitive_words": ["群体性", "集体上访", "上访", "静坐", "拉横幅", "堵路", "围堵", "媒体曝光", "曝光", "网络舆情", "自杀", "讨薪", "维权"]},
          "cards": {"red_after_consecutive_yellow": 2, "yellow": {"overdue_tickets": 10, "shirked_tickets": 3}},
          "classification": {"default_kind": "complaint", "default_urgency": "normal", "kind_words": [{"kind": "report", "words": ["举报"]}, {"kind": "help", "words": ["求助", "帮忙", "帮帮"]}, {"kind": "suggestion", "words": ["建议", "希望增设", "希望增加"]}, {"kind": "consultation", "words": ["请问", "咨询", "如何办理", "怎么办理", "怎么"]}], "urgency_words": [{"urgency": "urgent", "words": ["燃气泄漏", "煤气", "天然气泄漏", "山体滑坡", "滑坡", "塌方", "坍塌", "塌陷", "爆管", "停电", "停水", "停气", "漏电"]}, {"urgency": "fast", "words": ["安全隐患", "隐患", "井盖", "积水", "倒伏", "危房", "裂缝", "冒烟"]}]},
          "dispatch": {"clear_case_within": {"hours": 1}, "from": "acceptance", "within": {"fast": {"hours": 1}, "normal": {"hours": 2}, "urgent": {"minutes": 30}}},
          "escalation": {"tiers": [{"over_days": 0, "recipients": ["principal_head"], "tier": 1}, {"over_days": 3, "recipients": ["leader_in_charge"], "tier": 2}, {"from_days": 7, "recipients": ["district_principal"], "tier": 3}]},
          "extension": {"before_deadline": true, "each_equals_original_limit": true, "max_count": 2, "superior_channels": false},
          "feedback": {"from": "dispatch", "within": {"fast": {"hours": 24}, "urgent": {"hours": 2}}},
          "handling": {"emergency": {"extension_allowed": false, "finish_within": {"working_days": 2}, "handle_within": {"hours": 2}, "urgency": "urgent"}, "from": "dispatch", "within": {"consultation": {"working_days": 2}, "others": {"working_days": 5}}},
          "intake": {"anonymous_own_rights_refused": true, "emergency_redirects": [{"number": "96333", "words": ["被困电梯", "困在电梯", "电梯困人"]}, {"number": "119", "words": ["火灾", "着火", "起火", "失火", "爆炸"]}, {"number": "120", "words": ["受伤", "昏迷", "晕倒", "急救", "心脏病发", "中毒"]}, {"number": "110", "words": ["抢劫", "打架", "斗殴", "持刀", "杀人", "绑架", "盗窃进行中", "跳楼"]}, {"number": "122", "words": ["车祸", "交通事故", "撞车"]}], "min_description_length": 5, "no_substance_texts": ["测试", "无", "没有", "没事", "打错了", "不知道", "你好", "喂"]},
          "name": "平利县12345便民服务平台管理办法（试行）",
          "profile": "pingli",
          "reopen": {"use_original_limit": false, "within": {"working_days": 5}},
          "return": {"after_extension": false, "again_after_denial": false, "approved_restarts_deadline": true, "from": "dispatch", "late_requests": "refused", "reason_and_basis_required": true, "refused_without_review": ["no_basis", "cannot_contact", "insufficient_detail", "minor_error", "needs_own_inquiry", "partial_mismatch"], "review_time_counts": false, "superior_channels_within": {"hours": 2}, "within": {"working_days": 2}, "written_explanation_required": false},
          "sign": {"auto_sign": true, "from": "dispatch", "within": {"others": {"hours": 24}}},
          "stage_resolution": {"approvals": [{"approver": "unit_deputy_head", "up_to_months": 1}, {"approver": "unit_head", "below_months": 3}, {"approver": "district_leader"}]},
          "survey": {"callback_after_final_dissatisfaction": true, "exclusion_allowed": false, "expires_after": {"days": 3}, "levels": ["satisfied", "basically_satisfied", "unsatisfied"], "max_rehandlings": 1, "rehandle_levels": ["unsatisfied"], "rehandle_on_request": false, "scale": "levels", "second_survey_final": true},
          "warnings": {"at_fraction": 0.75, "before_deadline": {"working_hours": 1}}
        }
        """#

    static let daye = #"""
        {
          "acceptance_notice": {"from": "signing", "within": {"working_days": 1}},
          "alerts": {"high_frequency": {"count": 5, "same": ["category", "community"], "within": {"days": 30}}, "hotspot": {"count": 3, "distinct_citizens": true, "same": ["category", "community"], "within": {"days": 30}}, "repeat_caller": {"count": 3, "same": ["citizen", "category"], "within": {"days": 30}}, "sensitive_words": ["群体性", "集体上访", "上访", "静坐", "拉横幅", "堵路", "围堵", "媒体曝光", "曝光", "网络舆情", "自杀", "讨薪", "维权"]},
          "cards": {"red_after_consecutive_yellow": 2, "yellow": {"overdue_tickets": 10, "shirked_tickets": 3}},
          "classification": {"default_kind": "complaint", "default_urgency": "normal", "kind_words": [{"kind": "report", "words": ["举报"]}, {"kind": "help", "words": ["求助", "帮忙", "帮帮"]}, {"kind": "suggestion", "words": ["建议", "希望增设", "希望增加"]}, {"kind": "consultation", "words": ["请问", "咨询", "如何办理", "怎么办理", "怎么"]}], "urgency_words": [{"urgency": "urgent", "words": ["燃气泄漏", "煤气", "天然气泄漏", "山体滑坡", "滑坡", "塌方", "坍塌", "塌陷", "爆管", "停电", "停水", "停气", "漏电"]}, {"urgency": "fast", "words": ["安全隐患", "隐患", "井盖", "积水", "倒伏", "危房", "裂缝", "冒烟"]}]},
          "dispatch": {"clear_case_within": {"hours": 1}, "from": "acceptance", "within": {"fast": {"hours": 1}, "normal": {"hours": 2}, "urgent": {"minutes": 30}}},
          "escalation": {"tiers": [{"over_days": 0, "recipients": ["principal_head"], "tier": 1}, {"over_days": 3, "recipients": ["leader_in_charge"], "tier": 2}, {"from_days": 7, "recipients": ["district_principal"], "tier": 3}]},
          "extension": {"before_deadline": true, "each_equals_original_limit": false, "max_total_working_days": 30, "superior_channels": false},
          "feedback": {"from": "dispatch", "within": {"fast": {"hours": 24}, "urgent": {"hours": 2}}},
          "handling": {"from": "signing", "within": {"others": {"working_days": 5}}},
          "intake": {"anonymous_own_rights_refused": false, "emergency_redirects": [{"number": "119", "words": ["火灾", "着火", "起火", "失火", "爆炸", "被困电梯"]}, {"number": "120", "words": ["受伤", "昏迷", "晕倒", "急救", "心脏病发", "中毒"]}, {"number": "110", "words": ["抢劫", "打架", "斗殴", "持刀", "杀人", "绑架", "盗窃进行中", "跳楼"]}, {"number": "122", "words": ["车祸", "交通事故", "撞车"]}], "min_description_length": 5, "no_substance_texts": ["测试", "无", "没有", "没事", "打错了", "不知道", "你好", "喂"]},
          "name": "大冶市“民情通”统一诉求处办平台运行工作机制",
          "profile": "daye",
          "reopen": {"use_original_limit": false, "within": {"working_days": 5}},
          "return": {"after_extension": false, "again_after_denial": false, "approved_restarts_deadline": true, "from": "dispatch", "late_requests": "refused", "reason_and_basis_required": true, "refused_without_review": ["no_basis", "cannot_contact", "insufficient_detail", "minor_error", "needs_own_inquiry", "partial_mismatch"], "review_time_counts": false, "superior_channels_within": {"hours": 2}, "within": {"working_days": 2}, "written_explanation_required": true},
          "sign": {"auto_sign": true, "from": "dispatch", "within": {"others": {"working_days": 1}}},
          "stage_resolution": {"approvals": [{"approver": "unit_deputy_head", "up_to_months": 1}, {"approver": "unit_head", "below_months": 3}, {"approver": "district_leader"}]},
          "survey": {"callback_after_final_dissatisfaction": false, "exclusion_allowed": true, "exclusion_requires": "principal_head", "expires_after": {"days": 3}, "levels": ["satisfied", "basically_satisfied", "unsatisfied"], "max_rehandlings": 1, "questions": ["contacted", "solved", "satisfaction", "trust"], "rehandle_levels": ["unsatisfied"], "rehandle_on_request": false, "scale": "questions", "second_survey_final": true},
          "warnings": {"at_fraction": 0.75, "before_deadline": {"working_hours": 1}}
        }
        """#
}
