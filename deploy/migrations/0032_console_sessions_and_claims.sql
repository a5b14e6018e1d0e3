-- The console (docs/console.md): an account's sessions end when `hotlinectl console user passwd` or
-- `disable` moves its epoch on (no clocks of two processes are compared), and a claim names its item
-- without the round, so that the item's latest claim is found by index.
ALTER TABLE console_users ADD COLUMN IF NOT EXISTS session_epoch integer NOT NULL DEFAULT 0;
ALTER TABLE console_sessions ADD COLUMN IF NOT EXISTS session_epoch integer NOT NULL DEFAULT 0;
ALTER TABLE console_claims ADD COLUMN IF NOT EXISTS subject text NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS console_claims_subject ON console_claims (subject, claimed_at);
CREATE INDEX IF NOT EXISTS console_sessions_ended ON console_sessions (expires_at);

-- A phone search compares canonical numbers (`CitizenKeys.canonicalPhone`: the digits, without a
-- 0086 / 86 prefix, a leading 0 where the number has none); `TicketFiles.canonicalPhoneSQL` is the
-- same expression.
DROP INDEX IF EXISTS tickets_citizen_phone;
CREATE INDEX IF NOT EXISTS tickets_citizen_phone_canonical ON tickets ((
    CASE WHEN regexp_replace(regexp_replace(citizen->>'phone', '[^0-9]', '', 'g'), '^(0086|86)', '') ~ '^[01]|^$'
         THEN regexp_replace(regexp_replace(citizen->>'phone', '[^0-9]', '', 'g'), '^(0086|86)', '')
         ELSE '0' || regexp_replace(regexp_replace(citizen->>'phone', '[^0-9]', '', 'g'), '^(0086|86)', '') END));
