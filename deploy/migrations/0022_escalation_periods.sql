-- Each deadline period escalates on its own (docs/rules.md "Escalation and warnings"): an assignment
-- reopened for re-handling, or whose deadline was extended, and overdue again against its new
-- deadline goes through the tiers again. The tiers raised are kept per deadline (`deadline`,
-- `deadline_at`), no longer once per assignment.
ALTER TABLE escalations ADD COLUMN IF NOT EXISTS deadline_at timestamptz;
-- Tiers raised before: the deadline they were raised against is the one the overdue record holds
-- from before they were raised (the breach is recorded there first).
UPDATE escalations e SET deadline_at = (
    SELECT max(o.deadline_at) FROM overdue_assignments o
    WHERE o.assignment_id = e.assignment_id AND o.deadline = e.deadline AND o.recorded_at <= e.raised_at)
WHERE e.deadline_at IS NULL;
UPDATE escalations SET deadline_at = '-infinity' WHERE deadline_at IS NULL;
ALTER TABLE escalations ALTER COLUMN deadline_at SET NOT NULL;
ALTER TABLE escalations DROP CONSTRAINT IF EXISTS escalations_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS escalations_once ON escalations (assignment_id, deadline, deadline_at, tier);
