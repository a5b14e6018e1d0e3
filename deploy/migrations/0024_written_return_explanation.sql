-- The written return explanation (书面退单说明, DY (7)) a unit gives with its return request where the
-- profile requires one (`return.written_explanation_required`; docs/rules.md "Dispatch").
ALTER TABLE return_requests ADD COLUMN IF NOT EXISTS written_explanation text;
