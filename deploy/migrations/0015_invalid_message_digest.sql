-- An invalid message's body is kept up to a limit (docs/security.md "Bad input"): a client cannot
-- fill the database by sending huge bodies. Its whole size and SHA-256 are kept with it, so that the
-- original can still be recognised.
ALTER TABLE invalid_messages ADD COLUMN IF NOT EXISTS body_size integer;
ALTER TABLE invalid_messages ADD COLUMN IF NOT EXISTS body_sha256 text;
UPDATE invalid_messages SET body_size = octet_length(body), body_sha256 = encode(sha256(body), 'hex')
WHERE body_size IS NULL;
