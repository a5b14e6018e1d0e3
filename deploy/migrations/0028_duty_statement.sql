-- The head's signed statement of duty performed (书面履责意见) a re-handling's resolution may carry
-- where the profile takes it (`handling.duty_statement_on_rehandling`, PL §19(三); docs/rules.md "SLA timer").
ALTER TABLE resolutions ADD COLUMN IF NOT EXISTS duty_statement jsonb;
