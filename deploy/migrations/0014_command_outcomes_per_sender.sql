-- Commands are told apart by sender and message id (docs/security.md "Commands"): a unit that reuses
-- or guesses another client's `message_id` sends a command of its own, which neither pre-empts the
-- other's nor gets its outcome. `user_id` is '' for a command sent without one (refused `forbidden`).
UPDATE command_outcomes SET user_id = '' WHERE user_id IS NULL;
ALTER TABLE command_outcomes ALTER COLUMN user_id SET DEFAULT '', ALTER COLUMN user_id SET NOT NULL;
ALTER TABLE command_outcomes DROP CONSTRAINT command_outcomes_pkey;
ALTER TABLE command_outcomes ADD PRIMARY KEY (user_id, command_id);
