-- Submissions held for the street's grid worker to verify on site before acceptance (PS §8(一)3;
-- docs/rules.md "Intake"), kept by intake: requested, then verified, found untrue or lapsed. The held
-- submission (personal data) is cleared once its outcome is decided.
CREATE TABLE IF NOT EXISTS grid_verifications (
    verification_id text PRIMARY KEY,
    submission_id   text NOT NULL UNIQUE,
    message_id      text NOT NULL,          -- the submission's, the outcome's correlation_id
    reply_to        text,                   -- the gateway's reply queue, when it gave one
    reply_to_ignored text,                  -- why the message's own reply_to was not used (`reply_to_ignored`)
    submission      jsonb,                  -- the validated submission while it waits
    office          text NOT NULL,          -- the street office whose grid worker verifies
    street          text NOT NULL,
    requested_at    timestamptz NOT NULL,   -- intake's clock, as every time here
    due_by          timestamptz NOT NULL,
    result          text CHECK (result IN ('verified', 'not_verified', 'lapsed')),
    ended_at        timestamptz,
    verified_at     timestamptz,
    verifier        text,
    note            text,
    ticket_no       text,                   -- the ticket the outcome made
    command_id      text
);
CREATE INDEX IF NOT EXISTS grid_verifications_due ON grid_verifications (due_by) WHERE result IS NULL;
