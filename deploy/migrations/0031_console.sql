-- The center's console (docs/console.md): its accounts, written by `hotlinectl console user`, and
-- the console's own records: sessions, the audit log and the claims that keep two people from
-- deciding one work item.

CREATE TABLE IF NOT EXISTS console_users (
    name                text PRIMARY KEY,          -- the sign-in name
    display_name        text NOT NULL,             -- recorded with every decision (`operator_name`)
    role                text NOT NULL,             -- dispatcher | reviewer | supervisor | administrator
    password_hash       text NOT NULL,             -- bcrypt
    disabled            boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL,
    password_changed_at timestamptz NOT NULL,      -- sessions begun before it are ended
    updated_at          timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS console_sessions (
    token_sha256   text PRIMARY KEY,               -- the cookie's token is never stored, only its hash
    user_name      text NOT NULL REFERENCES console_users (name),
    csrf_token     text NOT NULL,
    created_at     timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,           -- the absolute end; idleness ends it sooner
    ended_at       timestamptz
);
CREATE INDEX IF NOT EXISTS console_sessions_user ON console_sessions (user_name);

CREATE TABLE IF NOT EXISTS console_audit (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    user_name   text NOT NULL,                     -- the account, or the name tried at a failed sign-in
    action      text NOT NULL,                     -- signed_in, sign_in_failed, signed_out, ticket_viewed, center.dispatch, …
    subject     text,                              -- the ticket, assignment, request or dead letter acted on
    detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
    remote      text
);
CREATE INDEX IF NOT EXISTS console_audit_at ON console_audit (at);
CREATE INDEX IF NOT EXISTS console_audit_user ON console_audit (user_name, at);
CREATE INDEX IF NOT EXISTS console_audit_subject ON console_audit (subject, at);

-- One decision per work item: the first person's claim stands until its command is rejected.
CREATE TABLE IF NOT EXISTS console_claims (
    item        text PRIMARY KEY,                  -- dispatch:<ticket>, return:<id>, extension:<request>, resolution:<id>
    user_name   text NOT NULL,
    display_name text NOT NULL,
    command_id  text NOT NULL,                     -- the center command's message_id
    command_type text NOT NULL,
    claimed_at  timestamptz NOT NULL
);

-- The console finds tickets by the citizen's phone number.
CREATE INDEX IF NOT EXISTS tickets_citizen_phone ON tickets ((citizen->>'phone'));
