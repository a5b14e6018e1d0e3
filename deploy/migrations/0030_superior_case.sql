-- A demand the national or provincial platform assigned through the 12345 line (交办), with that
-- platform's case number and deadline (`superior_case` of the submission; PS §11(一), docs/rules.md
-- "SLA timer"): written by intake, read by the dispatcher when it plans the resolve deadline.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS superior_case jsonb;
