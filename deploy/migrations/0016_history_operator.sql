-- The person at the center who decided a `center.*` command, as the command names them (`operator`;
-- docs/security.md "Commands"): the history's actor stays the broker user (`center`).
ALTER TABLE ticket_history ADD COLUMN IF NOT EXISTS operator text;
