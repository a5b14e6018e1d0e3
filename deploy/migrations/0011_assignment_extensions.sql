-- The dispatcher alone writes `assignments` (docs/architecture.md "Tables"). An approved extension
-- reaches it as `assignment.extended`, which carries the new resolve deadline and, since this
-- migration, how many extensions the assignment has had (`extensions_granted`): the dispatcher
-- applies an extension once and never an older one after a newer, and the sla-timer can tell a row
-- that has not caught up with its latest extension yet.
ALTER TABLE assignments ADD COLUMN IF NOT EXISTS extensions integer NOT NULL DEFAULT 0;
UPDATE assignments a SET extensions = granted.n
FROM (SELECT assignment_id, count(*)::int AS n FROM sla_extension_requests WHERE state = 'approved' GROUP BY assignment_id) granted
WHERE a.assignment_id = granted.assignment_id AND a.extensions = 0;
COMMENT ON COLUMN assignments.extended IS 'an extension was granted (set by the dispatcher from assignment.extended)';
COMMENT ON COLUMN assignments.extensions IS 'extensions granted so far (set by the dispatcher from assignment.extended)';
