-- Whether a case was filed (立案), as a complaint or report resolution says where the profile wants it
-- (`handling.case_filing_kinds`, PL §15(三); docs/rules.md "SLA timer").
ALTER TABLE resolutions ADD COLUMN IF NOT EXISTS case_filing jsonb;
