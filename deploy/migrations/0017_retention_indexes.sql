-- The retention purge (docs/operations.md "Retention") finds old rows by the column that dates them.
CREATE INDEX IF NOT EXISTS command_outcomes_received ON command_outcomes (received_at);
CREATE INDEX IF NOT EXISTS submissions_received ON submissions (received_at);
CREATE INDEX IF NOT EXISTS notifications_sent ON notifications (sent_at) WHERE sent_at IS NOT NULL;
