-- A console claim records when the broker confirmed its command (docs/console.md "Deciding"): a
-- confirmed command waits in its durable queue to be answered, so its item is never taken again by
-- a second person; only a claim whose command may never have gone out is, after ten minutes.
ALTER TABLE console_claims ADD COLUMN IF NOT EXISTS confirmed_at timestamptz;
