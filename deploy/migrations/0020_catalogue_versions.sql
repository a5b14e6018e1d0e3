-- Catalogue versions (docs/operations.md "Changing reference data while the platform runs"): each load of
-- the jurisdiction is numbered one higher and kept in `jurisdiction_versions`. Each ticket keeps the
-- version it was first routed under (`ticket_progress.catalogue_version`) with its catalogue item as
-- it was then (`routed_item`), so that a later change of the catalogue never moves its deadlines.
ALTER TABLE jurisdiction ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 1;

CREATE TABLE IF NOT EXISTS jurisdiction_versions (
    version    bigint PRIMARY KEY,
    code       text NOT NULL,
    document   jsonb NOT NULL,
    loaded_at  timestamptz NOT NULL
);
INSERT INTO jurisdiction_versions (version, code, document, loaded_at)
SELECT version, code, document, loaded_at FROM jurisdiction
ON CONFLICT (version) DO NOTHING;

ALTER TABLE ticket_progress ADD COLUMN IF NOT EXISTS catalogue_version bigint;
ALTER TABLE ticket_progress ADD COLUMN IF NOT EXISTS routed_item jsonb;
