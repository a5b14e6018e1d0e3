-- Citizen keys become HMACs under a secret kept outside the database (docs/security.md "Citizen keys"):
-- intake writes `<secret id>:<hex>` and re-keys the unkeyed SHA-256 keys of earlier versions from the
-- tickets' phone numbers (CitizenRekeying). The database can no longer compute a key, so its function
-- goes; a concluded matter whose ticket keeps no number loses its key (it then matches no one). A merge
-- link's key was a copy of the merged ticket's (`intake_demands`), which is the one kept.
DROP FUNCTION hotline_citizen_key(text);
ALTER TABLE ticket_links DROP COLUMN citizen_key;
ALTER TABLE concluded_matters ALTER COLUMN citizen_key DROP NOT NULL;
