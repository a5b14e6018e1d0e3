-- Each outbox row names the service that wrote it, and only that service's relays publish it, so that
-- each service's broker user needs to publish only what its service publishes (docs/security.md
-- "Least privilege"). Rows written before this migration have none; any relay may take them, and one
-- whose broker user may not publish such a row leaves it to another.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS publisher text;
